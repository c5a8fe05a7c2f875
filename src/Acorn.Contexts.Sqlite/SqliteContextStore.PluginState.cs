using Acorn.Contexts.Sqlite.Internal;

namespace Acorn.Contexts.Sqlite;

/// <summary>Plugin state in the context database: table <c>plugin_state</c>, one row per plugin.</summary>
/// <remarks>
/// Saves and deletes go through the same writer task and group commit as context writes, so they get the same
/// durability and never block a caller's thread; reads use the pooled read connections.
/// </remarks>
public sealed partial class SqliteContextStore : IPluginStateStore
{
    /// <inheritdoc />
    public Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return ReadAsync(null, async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT state, version, updated_at FROM plugin_state WHERE plugin_id = $id;";
            command.Parameters.AddWithValue("$id", pluginId);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            return new PluginStateRecord(
                pluginId,
                reader.GetFieldValue<byte[]>(0),
                reader.GetInt64(1),
                new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        cancellationToken.ThrowIfCancellationRequested();

        // Copied before queuing: the writer reads it later, and the caller may reuse its buffer meanwhile.
        var copy = state.ToArray();
        var updatedAt = _time.GetUtcNow();
        var pending = new PendingPluginStateWrite(pluginId, copy, updatedAt.UtcTicks);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        var version = await pending.Completion.ConfigureAwait(false);
        return new PluginStateRecord(pluginId, copy, version, updatedAt);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingPluginStateWrite(pluginId, null, 0);
        await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Completion.ConfigureAwait(false) > 0;
    }
}
