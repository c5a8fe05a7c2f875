using System.Collections.Concurrent;

namespace Acorn.Contexts.Testing;

/// <summary>Records, per context, the versions in the order the store received them.</summary>
public sealed class RecordingStore(IContextStore inner) : DelegatingContextStore(inner)
{
    public ConcurrentDictionary<string, ConcurrentQueue<long>> Received { get; } = new();

    public override ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        Record(write);
        return Inner.WriteAsync(write, cancellationToken);
    }

    /// <summary>Forwarded, so that the manager pipelines over a store that can: the order is what is recorded.</summary>
    public override ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        Record(write);
        return Inner.SubmitAsync(write, cancellationToken);
    }

    private void Record(ContextWrite write)
    {
        if (write is PutContextWrite put)
        {
            Received.GetOrAdd(write.ContextId, _ => new ConcurrentQueue<long>()).Enqueue(put.State.Version);
        }
    }
}
