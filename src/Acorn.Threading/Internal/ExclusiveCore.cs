namespace Acorn.Threading.Internal;

/// <summary>
/// A FIFO exclusive lock: one holder identified by a ticket, waiters served in arrival order by direct
/// hand-off (a release gives the lock to the first waiter, so a newcomer can never barge in).
/// </summary>
/// <typeparam name="TGuard">The guard a holder receives.</typeparam>
internal class ExclusiveCore<TGuard> : WaitOwner
    where TGuard : struct, IGuard<TGuard>
{
    private readonly WaitNodePool<TGuard> _pool;
    private WaitQueue _queue;
    private long _holder;
    private long _lastTicket;
    private long _heldSince;
    private int _waiters;

    internal ExclusiveCore(string kind, string? name, TimeProvider? timeProvider)
        : base(kind, name, timeProvider)
    {
        _pool = new WaitNodePool<TGuard>(this);
        GuardTarget = this;
    }

    /// <summary>What guards of this lock point at (the public lock, or a keyed entry).</summary>
    internal object GuardTarget { get; set; }

    internal bool IsHeld => Volatile.Read(ref _holder) != 0;

    internal int WaiterCount => Volatile.Read(ref _waiters);

    /// <summary>True while <paramref name="ticket"/> is the current holder; lock-free.</summary>
    internal bool IsHeldBy(long ticket) => ticket != 0 && Volatile.Read(ref _holder) == ticket;

    /// <summary>Takes the lock if it is free, without waiting.</summary>
    internal bool TryLock(out TGuard guard)
    {
        long ticket;
        lock (Sync)
        {
            if (_holder != 0)
            {
                guard = default;
                return false;
            }

            ticket = TakeLocked();
        }

        RecordImmediate();
        guard = TGuard.Create(GuardTarget, ticket);
        return true;
    }

    /// <summary>Takes the lock, waiting in FIFO order; a timeout fails with <see cref="TimeoutException"/>.</summary>
    internal ValueTask<TGuard> LockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            OnParticipantLeft();
            return ValueTask.FromCanceled<TGuard>(cancellationToken);
        }

        var node = Acquire(timeout, throwOnTimeout: true, cancellationToken, out var ticket);
        if (node is null && ticket == 0)
        {
            OnParticipantLeft();
        }

        return Outcome.Lock(node, GuardTarget, ticket);
    }

    /// <summary>Takes the lock, waiting in FIFO order; a timeout completes with no guard.</summary>
    internal ValueTask<TGuard?> TryLockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            OnParticipantLeft();
            return ValueTask.FromCanceled<TGuard?>(cancellationToken);
        }

        var node = Acquire(timeout, throwOnTimeout: false, cancellationToken, out var ticket);
        if (node is null && ticket == 0)
        {
            OnParticipantLeft();
        }

        return Outcome.TryLock(node, GuardTarget, ticket);
    }

    private WaitNode<TGuard>? Acquire(TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken, out long ticket)
    {
        WaitNode<TGuard> node;
        lock (Sync)
        {
            if (_holder == 0)
            {
                ticket = TakeLocked();
                node = null!;
            }
            else
            {
                ticket = 0;
                if (timeout == TimeSpan.Zero)
                {
                    return null;
                }

                node = _pool.RentLocked();
                EnqueueLocked(node, throwOnTimeout, shared: false, cancellationToken);
                _queue.Append(node);
                _waiters++;
            }
        }

        if (ticket != 0)
        {
            RecordImmediate();
            return null;
        }

        node.Arm(timeout, Time);
        return node;
    }

    /// <summary>Releases the lock held by <paramref name="ticket"/>; a no-op when it no longer holds it.</summary>
    internal void Release(long ticket)
    {
        WaitNode? granted = null;
        long heldSince;
        lock (Sync)
        {
            if (ticket == 0 || _holder != ticket)
            {
                return;
            }

            heldSince = _heldSince;
            var next = _queue.TakeFirst();
            if (next is null)
            {
                Volatile.Write(ref _holder, 0);
            }
            else
            {
                _waiters--;
                GrantLocked(next, GuardTarget, TakeLocked(), ref granted);
            }
        }

        RecordHold(heldSince);
        CompleteGranted(granted);
        OnParticipantLeft();
    }

    protected override WaitNode? RemoveLocked(WaitNode node)
    {
        // A waiter exists only while the lock is held, so removing one never lets anybody in.
        _queue.Remove(node);
        _waiters--;
        return null;
    }

    private long TakeLocked()
    {
        var ticket = ++_lastTicket;
        _heldSince = HoldStart();
        Volatile.Write(ref _holder, ticket);
        return ticket;
    }
}
