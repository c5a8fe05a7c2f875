using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>An in-memory store that awaits a fixed latency per write, modelling a network database.</summary>
internal sealed class SimulatedRemoteStore(TimeSpan latency) : IContextStore
{
    private readonly InMemoryContextStore _inner = new();

    public Task<ContextStoreSnapshot> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

    public async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        await Task.Delay(latency, CancellationToken.None);
        await _inner.WriteAsync(write, cancellationToken);
    }

    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        _inner.ListRecoveryPointsAsync(contextId, cancellationToken);

    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        _inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);
}
