namespace Acorn.Contexts.Tests;

/// <summary>Passes calls to a real store, except that writes fail with an I/O error while <see cref="Failing"/> is set.</summary>
internal sealed class FaultInjectingStore(IContextStore inner) : IContextStore
{
    public volatile bool Failing;

    public Task<ContextStoreSnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        Failing ? ValueTask.FromException(new IOException("injected: no space left on device")) : inner.WriteAsync(write, cancellationToken);

    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        inner.ListRecoveryPointsAsync(contextId, cancellationToken);

    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);
}
