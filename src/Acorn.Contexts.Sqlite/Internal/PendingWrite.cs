namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>A write waiting for the writer task, with the caller's acknowledgement.</summary>
internal sealed class PendingWrite(ContextWrite write)
{
    // Continuations run on the pool, not on the writer task: a slow caller must not hold up the next batch.
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ContextWrite Write { get; } = write;

    public Task Completion => _completion.Task;

    public void Succeed() => _completion.TrySetResult();

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
