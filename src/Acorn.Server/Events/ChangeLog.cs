using Acorn.Contexts;
using Microsoft.Extensions.Options;

namespace Acorn.Server.Events;

/// <summary>
/// A bounded, in-order log of the recent context changes that every event stream reads at its own pace: a broadcast
/// ring in the manner of <c>tokio::sync::broadcast</c>.
/// </summary>
/// <remarks>
/// One pump subscribes to the <see cref="ContextManager"/> feed and appends here; each stream keeps a cursor. Writers
/// never wait for readers: the ring overwrites its oldest entries, and a reader that fell behind them learns it lagged
/// (and gets a <c>reset</c> event) instead of silently missing changes. Positions number the entries from 1 in the
/// order streams see them, so <c>Last-Event-ID</c> means exactly "everything after this", which the manager's own
/// sequence (taken before publishing, by concurrent writers) does not guarantee.
/// </remarks>
internal sealed class ChangeLog
{
    private readonly Lock _gate = new();
    private readonly ChangeLogEntry[] _ring;
    private long _last;
    private TaskCompletionSource _appended = NewSignal();

    public ChangeLog(IOptions<AcornServerOptions> options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Value.EventReplayWindow, 1);
        _ring = new ChangeLogEntry[options.Value.EventReplayWindow];
    }

    /// <summary>A random id of this process's log: positions from another run (before a restart) mean nothing here.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The position of the newest entry; 0 before the first.</summary>
    public long Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    public void Append(ChangeLogEntryKind kind, ContextChange? change)
    {
        TaskCompletionSource appended;
        lock (_gate)
        {
            _last++;
            _ring[_last % _ring.Length] = new ChangeLogEntry(_last, kind, change);
            appended = _appended;
            _appended = NewSignal();
        }

        // Completed outside the lock: continuations of waiting streams must not run under it.
        appended.TrySetResult();
    }

    /// <summary>Copies the entries after <paramref name="cursor"/> that are still held, oldest first.</summary>
    /// <returns><see langword="false"/> when entries after the cursor were already overwritten (the reader lagged).</returns>
    public bool TryReadAfter(long cursor, List<ChangeLogEntry> into)
    {
        lock (_gate)
        {
            var oldest = Math.Max(1, _last - _ring.Length + 1);
            if (cursor < oldest - 1)
            {
                return false;
            }

            for (var position = cursor + 1; position <= _last; position++)
            {
                into.Add(_ring[position % _ring.Length]);
            }

            return true;
        }
    }

    /// <summary>Completes when an entry after <paramref name="cursor"/> exists.</summary>
    public Task WaitAfterAsync(long cursor, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_last > cursor)
            {
                return Task.CompletedTask;
            }

            signal = _appended.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
