using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>Converts between <see cref="ContextState"/> and table rows.</summary>
internal static class SqliteRows
{
    public const string ContextColumns = "id, version, created_at, updated_at, expires_at, data, metadata";
    public const string RecoveryPointColumns = "context_id, version, created_at, updated_at, expires_at, data, metadata, id, taken_at";

    /// <summary>Reads a state from columns laid out as <see cref="ContextColumns"/> (or the first seven of <see cref="RecoveryPointColumns"/>).</summary>
    public static ContextState ReadState(SqliteDataReader reader) => ContextState.FromStore(
        reader.GetString(0),
        reader.GetInt64(1),
        FromTicks(reader.GetInt64(2)),
        FromTicks(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : FromTicks(reader.GetInt64(4)),
        reader.GetString(5),
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? []);

    public static RecoveryPoint ReadRecoveryPoint(SqliteDataReader reader) =>
        new(reader.GetInt64(7), ReadState(reader), FromTicks(reader.GetInt64(8)));

    public static void BindState(SqliteParameterCollection parameters, ContextState state)
    {
        parameters["$id"].Value = state.Id;
        parameters["$version"].Value = state.Version;
        parameters["$created_at"].Value = state.CreatedAt.UtcTicks;
        parameters["$updated_at"].Value = state.UpdatedAt.UtcTicks;
        parameters["$expires_at"].Value = state.ExpiresAt is { } expiresAt ? expiresAt.UtcTicks : DBNull.Value;
        parameters["$data"].Value = state.Data.GetRawText();
        parameters["$metadata"].Value = JsonSerializer.Serialize(state.Metadata);
    }

    public static void AddStateParameters(SqliteCommand command)
    {
        foreach (var name in (string[])["$id", "$version", "$created_at", "$updated_at", "$expires_at", "$data", "$metadata"])
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    private static DateTimeOffset FromTicks(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
