namespace Acorn.Threading.Internal;

/// <summary>
/// A fair reader-writer lock: one FIFO queue of read and write waiters. A reader enters at once only when no
/// writer holds the lock and nobody is queued; a release admits the queue head and, for readers, every reader
/// behind it up to the next writer.
/// </summary>
/// <typeparam name="TRead">The read guard.</typeparam>
/// <typeparam name="TWrite">The write guard.</typeparam>
internal sealed class ReaderWriterCore<TRead, TWrite> : WaitOwner
    where TRead : struct, IGuard<TRead>
    where TWrite : struct, IGuard<TWrite>
{
    // What guards point at: the public lock holding the value.
    private readonly object _lock;
    private readonly WaitNodePool<TRead> _readPool;
    private readonly WaitNodePool<TWrite> _writePool;
    private WaitQueue _queue;
    private ReaderSlot? _freeSlots;
    private long _writer;
    private long _writerSince;
    private long _lastTicket;
    private int _readers;
    private int _waiters;

    internal ReaderWriterCore(object publicLock, string? name, TimeProvider? timeProvider)
        : base("rwlock", name, timeProvider)
    {
        _lock = publicLock;
        _readPool = new WaitNodePool<TRead>(this);
        _writePool = new WaitNodePool<TWrite>(this);
    }

    internal int ReaderCount => Volatile.Read(ref _readers);

    internal bool IsWriteHeld => Volatile.Read(ref _writer) != 0;

    internal int WaiterCount => Volatile.Read(ref _waiters);

    internal bool IsWriteHeldBy(long ticket) => ticket != 0 && Volatile.Read(ref _writer) == ticket;

    internal bool TryRead(out TRead guard) => TryTake(shared: true, out guard);

    internal bool TryWrite(out TWrite guard) => TryTake(shared: false, out guard);

    internal ValueTask<TRead> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        LockAsync(_readPool, shared: true, timeout, cancellationToken);

    internal ValueTask<TRead?> TryReadAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        TryLockAsync(_readPool, shared: true, timeout, cancellationToken);

    internal ValueTask<TWrite> WriteAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        LockAsync(_writePool, shared: false, timeout, cancellationToken);

    internal ValueTask<TWrite?> TryWriteAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        TryLockAsync(_writePool, shared: false, timeout, cancellationToken);

    /// <summary>Ends a read hold; a no-op when the slot no longer carries <paramref name="ticket"/>.</summary>
    internal void ReleaseRead(ReaderSlot slot, long ticket)
    {
        WaitNode? granted = null;
        long heldSince;
        lock (Sync)
        {
            if (!slot.IsHeldBy(ticket))
            {
                return;
            }

            heldSince = slot.HeldSince;
            slot.Ticket = 0;
            slot.NextFree = _freeSlots;
            _freeSlots = slot;
            if (--_readers == 0)
            {
                GrantFromHeadLocked(ref granted);
            }
        }

        RecordHold(heldSince, shared: true);
        CompleteGranted(granted);
    }

    /// <summary>Ends the write hold; a no-op when <paramref name="ticket"/> no longer holds it.</summary>
    internal void ReleaseWrite(long ticket)
    {
        WaitNode? granted = null;
        long heldSince;
        lock (Sync)
        {
            if (ticket == 0 || _writer != ticket)
            {
                return;
            }

            heldSince = _writerSince;
            Volatile.Write(ref _writer, 0);
            GrantFromHeadLocked(ref granted);
        }

        RecordHold(heldSince);
        CompleteGranted(granted);
    }

    /// <summary>Turns the write hold of <paramref name="ticket"/> into a read hold in one step, admitting the readers queued at the head.</summary>
    /// <exception cref="ObjectDisposedException">The write guard no longer holds the lock.</exception>
    internal TRead Downgrade(long ticket)
    {
        WaitNode? granted = null;
        long writerSince;
        ReaderSlot slot;
        long readTicket;
        lock (Sync)
        {
            ObjectDisposedException.ThrowIf(ticket == 0 || _writer != ticket, typeof(TWrite));
            writerSince = _writerSince;
            Volatile.Write(ref _writer, 0);
            readTicket = TakeReadLocked(out slot);
            GrantFromHeadLocked(ref granted);
        }

        RecordHold(writerSince);
        CompleteGranted(granted);
        return TRead.Create(slot, readTicket);
    }

    protected override WaitNode? RemoveLocked(WaitNode node)
    {
        _queue.Remove(node);
        _waiters--;

        // A cancelled writer at the head may have been all that kept the readers behind it waiting.
        WaitNode? granted = null;
        GrantFromHeadLocked(ref granted);
        return granted;
    }

    private bool TryTake<TGuard>(bool shared, out TGuard guard)
        where TGuard : struct, IGuard<TGuard>
    {
        object target;
        long ticket;
        lock (Sync)
        {
            if (!CanEnterLocked(shared))
            {
                guard = default;
                return false;
            }

            ticket = TakeLocked(shared, out target);
        }

        RecordImmediate(shared);
        guard = TGuard.Create(target, ticket);
        return true;
    }

    private ValueTask<TGuard> LockAsync<TGuard>(WaitNodePool<TGuard> pool, bool shared, TimeSpan timeout, CancellationToken cancellationToken)
        where TGuard : struct, IGuard<TGuard>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TGuard>(cancellationToken);
        }

        var node = Acquire(pool, shared, timeout, throwOnTimeout: true, cancellationToken, out var target, out var ticket);
        return Outcome.Lock(node, target, ticket);
    }

    private ValueTask<TGuard?> TryLockAsync<TGuard>(WaitNodePool<TGuard> pool, bool shared, TimeSpan timeout, CancellationToken cancellationToken)
        where TGuard : struct, IGuard<TGuard>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TGuard?>(cancellationToken);
        }

        var node = Acquire(pool, shared, timeout, throwOnTimeout: false, cancellationToken, out var target, out var ticket);
        return Outcome.TryLock(node, target, ticket);
    }

    private WaitNode<TGuard>? Acquire<TGuard>(
        WaitNodePool<TGuard> pool, bool shared, TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken, out object? target, out long ticket)
        where TGuard : struct, IGuard<TGuard>
    {
        WaitNode<TGuard> node;
        lock (Sync)
        {
            if (CanEnterLocked(shared))
            {
                ticket = TakeLocked(shared, out target);
                node = null!;
            }
            else
            {
                target = null;
                ticket = 0;
                if (timeout == TimeSpan.Zero)
                {
                    return null;
                }

                node = pool.RentLocked();
                EnqueueLocked(node, throwOnTimeout, shared, cancellationToken);
                _queue.Append(node);
                _waiters++;
            }
        }

        if (ticket != 0)
        {
            RecordImmediate(shared);
            return null;
        }

        node.Arm(timeout, Time);
        return node;
    }

    // Nobody queued is a condition for readers too: a queued writer blocks new readers, so writers never starve.
    private bool CanEnterLocked(bool shared) => _writer == 0 && _queue.IsEmpty && (shared || _readers == 0);

    private long TakeLocked(bool shared, out object target)
    {
        if (shared)
        {
            var ticket = TakeReadLocked(out var slot);
            target = slot;
            return ticket;
        }

        target = _lock;
        _writerSince = HoldStart();
        Volatile.Write(ref _writer, ++_lastTicket);
        return _lastTicket;
    }

    private long TakeReadLocked(out ReaderSlot slot)
    {
        slot = _freeSlots ?? new ReaderSlot(_lock);
        _freeSlots = slot.NextFree;
        slot.NextFree = null;
        slot.HeldSince = HoldStart();
        slot.Ticket = ++_lastTicket;
        _readers++;
        return slot.Ticket;
    }

    private void GrantFromHeadLocked(ref WaitNode? granted)
    {
        while (_writer == 0 && _queue.First is { } head)
        {
            if (!head.IsShared && _readers != 0)
            {
                return;
            }

            _queue.Remove(head);
            _waiters--;
            var ticket = TakeLocked(head.IsShared, out var target);
            GrantLocked(head, target, ticket, ref granted);
        }
    }
}
