using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <summary>A subscription to the change feed of one context or of all contexts.</summary>
/// <remarks>
/// <para>
/// Each subscription has its own bounded buffer (<see cref="ContextOptions.ChangeFeedCapacity"/>). Writers never
/// wait for subscribers: when the buffer is full the <b>oldest</b> unread change is dropped and
/// <see cref="DroppedCount"/> grows. A subscriber notices the loss as a gap in <see cref="ContextChange.Sequence"/>
/// and can re-read the contexts it cares about.
/// </para>
/// <para>Changes of one context arrive in version order. Dispose the subscription to stop receiving changes.</para>
/// </remarks>
public sealed class ContextChangeSubscription : IDisposable
{
    private readonly Channel<ContextChange> _channel;
    private readonly ContextChangeFeed _feed;
    private long _dropped;

    internal ContextChangeSubscription(ContextChangeFeed feed, string? contextId, int capacity)
    {
        _feed = feed;
        ContextId = contextId;
        _channel = Channel.CreateBounded<ContextChange>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => OnDropped());
    }

    /// <summary>The context watched, or <see langword="null"/> for all contexts.</summary>
    public string? ContextId { get; }

    /// <summary>How many changes were dropped because this subscriber fell behind.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Reads changes as they happen, until the subscription is disposed or the token is cancelled.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The changes, oldest first.</returns>
    public async IAsyncEnumerable<ContextChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>Takes the next change if one is waiting.</summary>
    /// <param name="change">The change.</param>
    /// <returns><see langword="true"/> when a change was waiting.</returns>
    public bool TryRead(out ContextChange change) => _channel.Reader.TryRead(out change!);

    /// <summary>Stops the subscription; a pending read completes.</summary>
    public void Dispose()
    {
        _feed.Remove(this);
        _channel.Writer.TryComplete();
    }

    internal void Offer(ContextChange change)
    {
        if (ContextId is null || string.Equals(ContextId, change.ContextId, StringComparison.Ordinal))
        {
            _channel.Writer.TryWrite(change);
        }
    }

    private void OnDropped()
    {
        Interlocked.Increment(ref _dropped);
        ContextMetrics.ChangesDropped.Add(1);
    }
}
