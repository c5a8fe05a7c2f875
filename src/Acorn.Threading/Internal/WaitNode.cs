namespace Acorn.Threading.Internal;

/// <summary>A caller queued for a lock: the part of a wait node that queues and owners see.</summary>
/// <remarks>
/// Fields marked "owner lock" are read and written only under <see cref="WaitOwner.Sync"/>. Cancellation
/// and timeout callbacks may run late, after the node completed and was reused by a later wait; they
/// check <see cref="Token"/> and <see cref="Timer"/> under the owner lock, so a stale callback is a no-op
/// (or cancels a wait whose token is cancelled too).
/// </remarks>
internal abstract class WaitNode
{
    private const int Unarmed = 0;
    private const int Armed = 1;
    private const int Finished = 2;

    private CancellationTokenRegistration _registration;
    private int _arming;

    protected WaitNode(WaitOwner owner) => Owner = owner;

    internal WaitOwner Owner { get; }

    /// <summary>Owner lock: links of the wait queue.</summary>
    internal WaitNode? Previous;

    /// <summary>Owner lock: links of the wait queue.</summary>
    internal WaitNode? Next;

    /// <summary>Owner lock: chains nodes granted by one release, completed after the lock is left.</summary>
    internal WaitNode? NextGranted;

    /// <summary>Owner lock: the node waits in a queue and nothing has completed it yet.</summary>
    internal bool IsQueued;

    /// <summary>Owner lock: the token of the current wait.</summary>
    internal CancellationToken Token;

    /// <summary>Owner lock: the timeout of the current wait, if any.</summary>
    internal TimeoutTimer? Timer;

    /// <summary>Owner lock: true for a read (shared) waiter of a reader-writer lock.</summary>
    internal bool IsShared;

    /// <summary>Owner lock: a timeout fails the wait with <see cref="TimeoutException"/> instead of no guard.</summary>
    internal bool ThrowOnTimeout;

    /// <summary>Owner lock: counted in the waiters instrument, so it must be uncounted once.</summary>
    internal bool CountedAsWaiter;

    /// <summary>Owner lock: timestamp of enqueueing when the wait histogram listens, else 0.</summary>
    internal long QueuedAt;

    /// <summary>Owner lock: what the guard points at, set when granted.</summary>
    internal object? GuardTarget;

    /// <summary>Owner lock: the holder ticket, set when granted.</summary>
    internal long Ticket;

    /// <summary>Registers cancellation and starts the timeout; call once after enqueueing, outside the owner lock.</summary>
    internal void Arm(TimeSpan timeout, TimeProvider time)
    {
        var token = Token;
        if (token.CanBeCanceled)
        {
            _registration = token.UnsafeRegister(static (s, t) => ((WaitNode)s!).Owner.Cancel((WaitNode)s!, t), this);
        }

        TimeoutTimer? timer = null;
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            timer = new TimeoutTimer(this);
            lock (Owner.Sync)
            {
                Timer = timer;
            }

            timer.Start(time, timeout);
        }

        if (Interlocked.CompareExchange(ref _arming, Armed, Unarmed) != Unarmed)
        {
            // Completed while arming: nothing may outlive the wait.
            _registration.Unregister();
            timer?.Stop();
        }
    }

    /// <summary>Completes a granted wait; call outside the owner lock.</summary>
    internal void CompleteGranted()
    {
        Owner.RecordWait(QueuedAt, IsShared);
        Disarm();
        SetResult(Ticket);
    }

    /// <summary>Completes a cancelled wait; call outside the owner lock.</summary>
    internal void CompleteCanceled(CancellationToken token)
    {
        Disarm();
        SetException(new OperationCanceledException(token));
    }

    /// <summary>Completes a timed-out wait; call outside the owner lock.</summary>
    internal void CompleteTimedOut(bool throwOnTimeout)
    {
        Disarm();
        if (throwOnTimeout)
        {
            SetException(new TimeoutException(Messages.Timeout));
        }
        else
        {
            SetResult(0);
        }
    }

    /// <summary>Clears the per-wait state before the node goes back to its pool.</summary>
    /// <remarks>
    /// Outside the owner lock: a late cancellation or timeout callback may read <see cref="IsQueued"/>,
    /// <see cref="Token"/> or <see cref="Timer"/> concurrently, but the node left its queue before completing, so
    /// such a callback finds it not queued (reads of these fields are atomic) and does nothing.
    /// </remarks>
    protected void Reset()
    {
        _arming = Unarmed;
        _registration = default;
        Previous = Next = NextGranted = null;
        IsQueued = IsShared = ThrowOnTimeout = CountedAsWaiter = false;
        Token = default;
        Timer = null;
        QueuedAt = 0;
        GuardTarget = null;
        Ticket = 0;
    }

    protected abstract void SetResult(long ticket);

    protected abstract void SetException(Exception error);

    private void Disarm()
    {
        if (Interlocked.Exchange(ref _arming, Finished) == Armed)
        {
            // Unregister, not Dispose: Dispose would block on a callback running right now.
            _registration.Unregister();
            Volatile.Read(ref Timer)?.Stop();
        }
    }
}
