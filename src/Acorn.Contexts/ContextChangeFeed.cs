using System.Collections.Immutable;

namespace Acorn.Contexts;

/// <summary>
/// Fans changes out to subscriptions without ever waiting for one: the change feed behind
/// <see cref="IContextManager.Subscribe"/>, for implementations of <see cref="IContextManager"/>.
/// </summary>
/// <param name="capacity">How many unread changes each subscription buffers before it drops its oldest.</param>
public sealed class ContextChangeFeed(int capacity)
{
    // Copy-on-write: publishing (hot) reads a snapshot without a lock; subscribing (rare) swaps the array.
    private ImmutableArray<ContextChangeSubscription> _subscribers = [];

    /// <summary>Whether anyone listens: a publisher need not build a change nobody reads.</summary>
    internal bool HasSubscribers => !_subscribers.IsEmpty;

    /// <summary>Adds a subscription to one context's changes, or to all.</summary>
    /// <param name="contextId">The context to watch; <see langword="null"/> watches all.</param>
    /// <returns>The subscription; disposing it removes it.</returns>
    public ContextChangeSubscription Subscribe(string? contextId)
    {
        var subscription = new ContextChangeSubscription(this, contextId, capacity);
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Add(s), subscription);
        return subscription;
    }

    internal void Remove(ContextChangeSubscription subscription) =>
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Remove(s), subscription);

    /// <summary>Offers a change to every subscription watching its context; never blocks.</summary>
    /// <param name="change">The change; publish one context's changes in version order.</param>
    public void Publish(ContextChange change)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Offer(change);
        }
    }
}
