using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>A context write waiting for the writer task, with the caller's acknowledgement.</summary>
internal sealed class PendingContextWrite(ContextWrite write) : PendingWrite
{
    // Continuations run on the pool, not on the writer task: a slow caller must not hold up the next batch.
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ContextWrite Write { get; } = write;

    public Task Completion => _completion.Task;

    public override Exception? Apply(SqliteWriteCommands commands, SqliteTransaction transaction) => commands.Apply(Write, transaction);

    public override void Succeed() => _completion.TrySetResult();

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override ContextStoreException NotCommitted(Exception cause) => new(
        Write.ContextId,
        $"The write to context '{Write.ContextId}' was not committed ({cause.Message}); nothing was changed.",
        cause);

    public override ContextWriteOutcomeUnknownException OutcomeUnknown(Exception cause) => new(
        Write.ContextId,
        $"The commit holding the write to context '{Write.ContextId}' failed ({cause.Message}); the write may have been stored.",
        cause);
}
