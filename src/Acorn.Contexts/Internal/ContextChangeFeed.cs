using System.Collections.Immutable;

namespace Acorn.Contexts.Internal;

/// <summary>Fans changes out to subscribers without ever waiting for one.</summary>
internal sealed class ContextChangeFeed(int capacity)
{
    // Copy-on-write: publishing (hot) reads a snapshot without a lock; subscribing (rare) swaps the array.
    private ImmutableArray<ContextChangeSubscription> _subscribers = [];

    public ContextChangeSubscription Subscribe(string? contextId)
    {
        var subscription = new ContextChangeSubscription(this, contextId, capacity);
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Add(s), subscription);
        return subscription;
    }

    public void Remove(ContextChangeSubscription subscription) =>
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Remove(s), subscription);

    public void Publish(ContextChange change)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Offer(change);
        }
    }
}
