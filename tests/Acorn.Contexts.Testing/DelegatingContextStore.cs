namespace Acorn.Contexts.Testing;

/// <summary>A store that passes every call to another; test decorators override the calls they observe or break.</summary>
public abstract class DelegatingContextStore(IContextStore inner) : IContextStore
{
    protected IContextStore Inner { get; } = inner;

    public virtual Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken) => Inner.ReadSummaryAsync(cancellationToken);

    public virtual Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        Inner.ReadContextsAsync(after, limit, cancellationToken);

    public virtual Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken) =>
        Inner.ReadContextAsync(contextId, cancellationToken);

    public virtual ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) => Inner.WriteAsync(write, cancellationToken);

    /// <summary>
    /// Not pipelined by default (it waits for <see cref="WriteAsync"/>), so a decorator that observes or breaks
    /// <see cref="WriteAsync"/> sees every write.
    /// </summary>
    public virtual async ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        await WriteAsync(write, cancellationToken);
        return Task.CompletedTask;
    }

    public virtual Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        Inner.ListRecoveryPointsAsync(contextId, cancellationToken);

    public virtual Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        Inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);
}
