using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>Converts between <see cref="ContextState"/> and table rows.</summary>
internal static class SqliteRows
{
    public const string ContextColumns = "id, version, created_at, updated_at, expires_at, data, metadata";
    // Most contexts have no metadata: one shared empty map instead of one per row read.
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public const string RecoveryPointColumns = "context_id, version, created_at, updated_at, expires_at, data, metadata, id, taken_at";

    /// <summary>Reads a state from columns laid out as <see cref="ContextColumns"/> (or the first seven of <see cref="RecoveryPointColumns"/>).</summary>
    /// <remarks>The data comes as SQLite's own UTF-8 bytes, straight into the state: no UTF-16 string on the way.</remarks>
    public static ContextState ReadState(SqliteDataReader reader) => ContextState.FromStoreOwning(
        reader.GetString(0),
        reader.GetInt64(1),
        FromTicks(reader.GetInt64(2)),
        FromTicks(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : FromTicks(reader.GetInt64(4)),
        reader.GetFieldValue<byte[]>(5),
        ReadMetadata(reader.GetString(6)));

    /// <summary>
    /// Reads a row as <see cref="ReadState"/> does, or says why it cannot be read (corrupt JSON, a value out of range, a
    /// column of the wrong type): such a row is quarantined, never a reason to fail a load.
    /// </summary>
    public static (ContextState? State, UnreadableContext? Unreadable) TryReadState(SqliteDataReader reader)
    {
        try
        {
            return (ReadState(reader), null);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidContextIdException or FormatException or InvalidCastException or OverflowException)
        {
            var id = reader.IsDBNull(0) ? "(null)" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "(null)";
            return (null, new UnreadableContext(id, ex.Message));
        }
    }

    private static IReadOnlyDictionary<string, string> ReadMetadata(string json) =>
        json == "{}" ? NoMetadata : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? NoMetadata;

    public static RecoveryPoint ReadRecoveryPoint(SqliteDataReader reader) =>
        new(reader.GetInt64(7), ReadState(reader), FromTicks(reader.GetInt64(8)));

    public static void BindState(SqliteParameterCollection parameters, ContextState state)
    {
        parameters["$id"].Value = state.Id;
        parameters["$version"].Value = state.Version;
        parameters["$created_at"].Value = state.CreatedAt.UtcTicks;
        parameters["$updated_at"].Value = state.UpdatedAt.UtcTicks;
        parameters["$expires_at"].Value = state.ExpiresAt is { } expiresAt ? expiresAt.UtcTicks : DBNull.Value;
        parameters["$data"].Value = Encoding.UTF8.GetString(state.Utf8Data);
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
