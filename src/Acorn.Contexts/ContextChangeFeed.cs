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

    // Numbers changes and offers them in one step, so every subscriber receives them in the order of their numbers.
    // A monitor rather than System.Threading.Lock: Coyote controls Monitor.
    private readonly object _order = new();
    private long _sequence;
    private volatile FeedEnd? _end;

    /// <summary>Adds a subscription to one context's changes, or to all.</summary>
    /// <param name="contextId">The context to watch; <see langword="null"/> watches all.</param>
    /// <returns>The subscription; disposing it removes it.</returns>
    public ContextChangeSubscription Subscribe(string? contextId)
    {
        var subscription = new ContextChangeSubscription(this, contextId, capacity);
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Add(s), subscription);

        // Checked after adding, so a subscription racing Complete is ended by one of the two.
        if (_end is { } end)
        {
            subscription.End(end.Error);
        }

        return subscription;
    }

    /// <summary>
    /// Ends the feed: every subscription, and every one made later, reads what it has buffered and then ends, with
    /// <paramref name="error"/> when the source failed (their <see cref="ContextChangeSubscription.ReadAllAsync"/>
    /// throws it).
    /// </summary>
    /// <param name="error">Why the source failed, or <see langword="null"/> when it simply ended.</param>
    public void Complete(Exception? error = null)
    {
        _end = new FeedEnd(error);
        foreach (var subscriber in _subscribers)
        {
            subscriber.End(error);
        }
    }

    internal void Remove(ContextChangeSubscription subscription) =>
        ImmutableInterlocked.Update(ref _subscribers, static (list, s) => list.Remove(s), subscription);

    /// <summary>
    /// Numbers a change and offers it to every subscription watching its context, in one step: subscribers receive the
    /// feed's changes in the order of their numbers, so a gap in <see cref="ContextChange.Sequence"/> always means a
    /// dropped change. Never waits for a subscriber.
    /// </summary>
    /// <param name="kind">What happened; a <see cref="ContextChangeKind.Reset"/> reaches subscriptions of that context, or of all when the id is empty.</param>
    /// <param name="contextId">The context.</param>
    /// <param name="version">The version after the change; for a deletion, the version deleted.</param>
    /// <param name="state">The new state, or <see langword="null"/> for deletions and expiries.</param>
    /// <param name="timestamp">When the change was made.</param>
    /// <returns>The change's number.</returns>
    /// <remarks>Publish one context's changes in version order.</remarks>
    public long Publish(ContextChangeKind kind, string contextId, long version, ContextState? state, DateTimeOffset timestamp)
    {
        if (_subscribers.IsEmpty)
        {
            // Numbered anyway, so that a subscriber's gaps mean changes it missed, never changes nobody could see.
            return Interlocked.Increment(ref _sequence);
        }

        lock (_order)
        {
            var change = new ContextChange(Interlocked.Increment(ref _sequence), kind, contextId, version, state, timestamp);
            Publish(change);
            return change.Sequence;
        }
    }

    /// <summary>Offers a change numbered by the caller to every subscription watching its context; never blocks.</summary>
    /// <param name="change">The change; publish changes in the order of their numbers, one context's in version order.</param>
    public void Publish(ContextChange change)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Offer(change);
        }
    }

    private sealed record FeedEnd(Exception? Error);
}
