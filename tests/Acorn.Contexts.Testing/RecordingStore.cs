using System.Collections.Concurrent;

namespace Acorn.Contexts.Testing;

/// <summary>Records, per context, the versions in the order the store received them.</summary>
public sealed class RecordingStore(IContextStore inner) : DelegatingContextStore(inner)
{
    public ConcurrentDictionary<string, ConcurrentQueue<long>> Received { get; } = new();

    public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        if (write is PutContextWrite put)
        {
            Received.GetOrAdd(write.ContextId, _ => new ConcurrentQueue<long>()).Enqueue(put.State.Version);
        }

        return Inner.WriteAsync(write, cancellationToken);
    }
}
