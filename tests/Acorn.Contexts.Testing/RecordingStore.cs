using System.Collections.Concurrent;

namespace Acorn.Contexts.Testing;

/// <summary>Passes writes through to a store and records, per context, the versions in the order the store received them.</summary>
public sealed class RecordingStore(IContextStore inner) : IContextStore
{
    public ConcurrentDictionary<string, ConcurrentQueue<long>> Received { get; } = new();

    public Task<ContextStoreSnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        if (write is PutContextWrite put)
        {
            Received.GetOrAdd(write.ContextId, _ => new ConcurrentQueue<long>()).Enqueue(put.State.Version);
        }

        return inner.WriteAsync(write, cancellationToken);
    }

    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        inner.ListRecoveryPointsAsync(contextId, cancellationToken);

    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);
}
