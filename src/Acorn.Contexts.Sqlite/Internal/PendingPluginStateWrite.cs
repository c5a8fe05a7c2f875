using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>A save (state given) or delete (no state) of one plugin's state, waiting for the writer task.</summary>
internal sealed class PendingPluginStateWrite(string pluginId, byte[]? state, long updatedAtTicks) : PendingWrite
{
    // Continuations run on the pool, not on the writer task: a slow caller must not hold up the next batch.
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _result;

    /// <summary>After the commit: the saved version, or for a delete the number of rows removed (0 or 1).</summary>
    public Task<long> Completion => _completion.Task;

    public override Exception? Apply(SqliteWriteCommands commands, SqliteTransaction transaction)
    {
        // Only remembered here: the caller learns it in Succeed, after the commit made it true.
        _result = state is null
            ? commands.DeletePluginState(pluginId, transaction)
            : commands.SavePluginState(pluginId, state, updatedAtTicks, transaction);
        return null;
    }

    public override void Succeed() => _completion.TrySetResult(_result);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override ContextStoreException NotCommitted(Exception cause) => new(
        null,
        $"The state of plugin '{pluginId}' was not {(state is null ? "deleted" : "saved")} ({cause.Message}); nothing was changed.",
        cause);

    public override ContextWriteOutcomeUnknownException OutcomeUnknown(Exception cause) => new(
        null,
        $"The commit holding the state of plugin '{pluginId}' failed ({cause.Message}); it may have been {(state is null ? "deleted" : "saved")}.",
        cause);
}
