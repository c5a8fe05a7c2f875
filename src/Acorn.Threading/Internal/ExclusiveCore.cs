namespace Acorn.Threading.Internal;

/// <summary>
/// A FIFO exclusive lock: one holder identified by a ticket, waiters served in arrival order by direct
/// hand-off (a release gives the lock to the first waiter, so a newcomer can never barge in).
/// </summary>
/// <typeparam name="TGuard">The guard a holder receives.</typeparam>
internal class ExclusiveCore<TGuard> : WaitOwner
    where TGuard : struct, IGuard<TGuard>
{
    // _state = sequence * Step + HasWaiters + Held. A holder's ticket is the state it acquired (Held set, HasWaiters
    // clear); every release advances the sequence, so a ticket never repeats and a stale guard never matches.
    // Uncontended, acquire and release are one compare-and-swap each; the monitor is only taken when somebody waits.
    private const long Held = 1;
    private const long HasWaiters = 2;
    private const long Step = 4;

    private readonly WaitNodePool<TGuard> _pool;
    private WaitQueue _queue;
    private long _state;
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

    internal bool IsHeld => (Volatile.Read(ref _state) & Held) != 0;

    internal int WaiterCount => Volatile.Read(ref _waiters);

    /// <summary>True while <paramref name="ticket"/> is the current holder; lock-free.</summary>
    internal bool IsHeldBy(long ticket) => ticket != 0 && (Volatile.Read(ref _state) & ~HasWaiters) == ticket;

    /// <summary>Takes the lock if it is free, without waiting.</summary>
    internal bool TryLock(out TGuard guard)
    {
        var ticket = TryTakeFree();
        guard = ticket == 0 ? default : TGuard.Create(GuardTarget, ticket);
        return ticket != 0;
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

    /// <summary>Releases the lock held by <paramref name="ticket"/>; a no-op when it no longer holds it.</summary>
    internal void Release(long ticket)
    {
        if (ticket == 0)
        {
            return;
        }

        // Read before releasing: afterwards it belongs to the next holder.
        var heldSince = _heldSince;
        if (Interlocked.CompareExchange(ref _state, ticket - Held + Step, ticket) != ticket && !ReleaseToWaiter(ticket))
        {
            return;
        }

        RecordHold(heldSince);
        OnParticipantLeft();
    }

    protected override WaitNode? RemoveLocked(WaitNode node)
    {
        // A waiter exists only while the lock is held, so removing one never lets anybody in.
        _queue.Remove(node);
        _waiters--;
        if (_queue.IsEmpty)
        {
            Interlocked.And(ref _state, ~HasWaiters);
        }

        return null;
    }

    /// <summary>Takes the lock when it is free; returns the ticket, or 0.</summary>
    private long TryTakeFree()
    {
        var state = Volatile.Read(ref _state);
        if ((state & Held) != 0 || Interlocked.CompareExchange(ref _state, state + Held, state) != state)
        {
            return 0;
        }

        _heldSince = HoldStart();
        RecordImmediate();
        return state + Held;
    }

    private WaitNode<TGuard>? Acquire(TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken, out long ticket)
    {
        ticket = TryTakeFree();
        if (ticket != 0)
        {
            return null;
        }

        WaitNode<TGuard> node;
        lock (Sync)
        {
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if ((state & Held) == 0)
                {
                    // Released since the fast path looked; the queue is empty whenever the lock is free.
                    ticket = TryTakeFree();
                    if (ticket != 0)
                    {
                        return null;
                    }

                    continue;
                }

                if (timeout == TimeSpan.Zero)
                {
                    return null;
                }

                // The flag sends the holder's release down the slow path, where it hands the lock to the queue head.
                if ((state & HasWaiters) != 0 || Interlocked.CompareExchange(ref _state, state | HasWaiters, state) == state)
                {
                    break;
                }
            }

            node = _pool.RentLocked();
            EnqueueLocked(node, throwOnTimeout, shared: false, cancellationToken);
            _queue.Append(node);
            _waiters++;
        }

        node.Arm(timeout, Time);
        return node;
    }

    /// <summary>Slow release: hands the lock to the first waiter. False when <paramref name="ticket"/> does not hold the lock.</summary>
    private bool ReleaseToWaiter(long ticket)
    {
        WaitNode? granted = null;
        lock (Sync)
        {
            var state = Volatile.Read(ref _state);
            if ((state & ~HasWaiters) != ticket)
            {
                return false;
            }

            var next = _queue.TakeFirst();
            if (next is null)
            {
                Volatile.Write(ref _state, ticket - Held + Step);
            }
            else
            {
                _waiters--;
                var successor = ticket + Step;
                _heldSince = HoldStart();
                Volatile.Write(ref _state, _queue.IsEmpty ? successor : successor | HasWaiters);
                GrantLocked(next, GuardTarget, successor, ref granted);
            }
        }

        CompleteGranted(granted);
        return true;
    }
}
