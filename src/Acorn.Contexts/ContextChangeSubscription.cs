using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <summary>A subscription to the change feed of one context or of all contexts.</summary>
/// <remarks>
/// <para>
/// Each subscription has its own bounded buffer (<see cref="ContextOptions.ChangeFeedCapacity"/>). Writers never
/// wait for subscribers: when the buffer is full the <b>oldest</b> unread change is dropped, <see cref="DroppedCount"/>
/// grows, and the next read returns a <see cref="ContextChangeKind.Reset"/> in its place, so a subscriber learns
/// exactly where it lost changes and re-reads the contexts it cares about. A subscription fed from another process (an
/// <c>Acorn.Client</c> event stream) reports a restarted or lossy source the same way.
/// </para>
/// <para>
/// Changes of one context arrive in version order. The subscription ends when it is disposed or its source ends: its
/// buffered changes are still read, then <see cref="ReadAllAsync"/> finishes, or throws the source's error when the
/// source failed (a server that went away for good); <see cref="Completion"/> says the same to readers of
/// <see cref="TryRead"/>.
/// </para>
/// </remarks>
public sealed class ContextChangeSubscription : IDisposable
{
    private readonly Channel<ContextChange> _channel;
    private readonly ContextChangeFeed _feed;
    private readonly CancellationTokenSource _unsubscribed = new();

    // Offers, drops, reads and the end take this monitor, so a drop and the reset that announces it are one step for
    // the reader: the reset is returned before any change that came after the lost ones. A monitor rather than
    // System.Threading.Lock: Coyote controls Monitor.
    private readonly object _gate = new();
    private ContextChange? _unannouncedDrop;
    private bool _ended;
    private long _dropped;
    private int _disposed;

    internal ContextChangeSubscription(ContextChangeFeed feed, string? contextId, int capacity)
    {
        _feed = feed;
        ContextId = contextId;
        Unsubscribed = _unsubscribed.Token;
        _channel = Channel.CreateBounded<ContextChange>(
            new BoundedChannelOptions(capacity)
            {
                // Full means "drop the oldest", done here (see Offer) rather than by the channel, which would report the
                // drop only after the newer change was already readable.
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = false,
                SingleWriter = false,
            });
    }

    /// <summary>The context watched, or <see langword="null"/> for all contexts.</summary>
    public string? ContextId { get; }

    /// <summary>How many changes were dropped because this subscriber fell behind.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Cancelled when the subscription is disposed: a source that feeds only this subscription (an event stream) stops
    /// on it.
    /// </summary>
    public CancellationToken Unsubscribed { get; }

    /// <summary>
    /// Completes when the subscription has ended and its buffer is empty; faulted with the source's error when the
    /// source failed.
    /// </summary>
    public Task Completion => _channel.Reader.Completion;

    /// <summary>Reads changes as they happen, until the subscription ends or the token is cancelled.</summary>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The changes, oldest first, with a <see cref="ContextChangeKind.Reset"/> where changes were lost.</returns>
    /// <remarks>
    /// When the subscription's source failed, the enumeration throws the error it ended with after the last buffered
    /// change: for an <c>Acorn.Client</c> subscription, a <see cref="ContextStoreException"/> when the server stayed
    /// away, or an <see cref="UnauthorizedAccessException"/> when it refused the key.
    /// </remarks>
    public async IAsyncEnumerable<ContextChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            while (TryRead(out var change))
            {
                yield return change;
            }

            // Throws the error the subscription ended with, once everything before it was read.
            if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    /// <summary>Takes the next change if one is waiting.</summary>
    /// <param name="change">The change, or a <see cref="ContextChangeKind.Reset"/> where changes were lost.</param>
    /// <returns><see langword="true"/> when a change was waiting.</returns>
    public bool TryRead(out ContextChange change)
    {
        lock (_gate)
        {
            if (_unannouncedDrop is { } dropped)
            {
                _unannouncedDrop = null;
                change = new ContextChange(dropped.Sequence, ContextChangeKind.Reset, ContextId ?? "", 0, null, dropped.Timestamp);
                return true;
            }

            return _channel.Reader.TryRead(out change!);
        }
    }

    /// <summary>Stops the subscription: buffered changes can still be read, then a pending read completes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _feed.Remove(this);
        End(error: null);
        _unsubscribed.Cancel();
        _unsubscribed.Dispose();
    }

    internal void Offer(ContextChange change)
    {
        if (!Watches(change))
        {
            return;
        }

        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            while (!_channel.Writer.TryWrite(change))
            {
                if (!_channel.Reader.TryRead(out var oldest))
                {
                    return;
                }

                _unannouncedDrop = oldest;
                Interlocked.Increment(ref _dropped);
                ContextMetrics.ChangesDropped.Add(1);
            }
        }
    }

    internal void End(Exception? error)
    {
        lock (_gate)
        {
            _ended = true;
            _channel.Writer.TryComplete(error);
        }
    }

    private bool Watches(ContextChange change) =>
        ContextId is null
        || string.Equals(ContextId, change.ContextId, StringComparison.Ordinal)
        || (change.Kind == ContextChangeKind.Reset && change.ContextId.Length == 0);
}
