using System.Diagnostics;

namespace Acorn.Threading.Internal;

/// <summary>
/// The lock state of one primitive: a short synchronous lock over its queue, the clock and its metric tags,
/// and the cancellation and timeout paths every primitive shares.
/// </summary>
internal abstract class WaitOwner
{
    private readonly TagList _exclusiveTags;
    private readonly TagList _sharedTags;

    protected WaitOwner(string kind, string? name, TimeProvider? timeProvider)
    {
        Name = name;
        Time = timeProvider ?? TimeProvider.System;
        _exclusiveTags = LockMetrics.Tags(kind, LockMetrics.Exclusive, name);
        _sharedTags = LockMetrics.Tags(kind, LockMetrics.Shared, name);
    }

    /// <summary>Guards all queue and holder state. Never held across an await or a completion.</summary>
    /// <remarks>
    /// A monitor on a private object rather than <see cref="Lock"/>: Coyote 1.7 rewrites monitors into controlled
    /// locks, but treats <see cref="Lock"/> as an ordinary call and would pause a holder inside it, hanging the
    /// systematic tests. Uncontended, the two cost about the same.
    /// </remarks>
    internal object Sync { get; } = new();

    internal TimeProvider Time { get; }

    internal string? Name { get; }

    /// <summary>Takes a queued node out of its queue; owner lock.</summary>
    /// <returns>Nodes that may be granted because the removed one no longer blocks them, chained by <see cref="WaitNode.NextGranted"/>.</returns>
    protected abstract WaitNode? RemoveLocked(WaitNode node);

    /// <summary>Called after a participant left: a holder released, or a waiter gave up.</summary>
    protected virtual void OnParticipantLeft()
    {
    }

    /// <summary>Completes a chain of granted nodes; call outside the owner lock.</summary>
    internal static void CompleteGranted(WaitNode? granted)
    {
        while (granted is not null)
        {
            var next = granted.NextGranted;
            granted.NextGranted = null;
            granted.CompleteGranted();
            granted = next;
        }
    }

    internal void Cancel(WaitNode node, CancellationToken token)
    {
        WaitNode? granted;
        lock (Sync)
        {
            if (!node.IsQueued || node.Token != token)
            {
                return;
            }

            granted = DequeueLocked(node);
        }

        node.CompleteCanceled(token);
        CompleteGranted(granted);
        OnParticipantLeft();
    }

    internal void TimeOut(WaitNode node, TimeoutTimer timer)
    {
        WaitNode? granted;
        bool throwOnTimeout;
        lock (Sync)
        {
            if (!node.IsQueued || node.Timer != timer)
            {
                return;
            }

            throwOnTimeout = node.ThrowOnTimeout;
            granted = DequeueLocked(node);
        }

        node.CompleteTimedOut(throwOnTimeout);
        CompleteGranted(granted);
        OnParticipantLeft();
    }

    /// <summary>Marks a node as waiting with the given token; the caller links it into its queue; owner lock.</summary>
    protected void EnqueueLocked(WaitNode node, bool throwOnTimeout, bool shared, CancellationToken cancellationToken)
    {
        node.IsQueued = true;
        node.IsShared = shared;
        node.Token = cancellationToken;
        node.ThrowOnTimeout = throwOnTimeout;
        if (LockMetrics.WaitDuration.Enabled)
        {
            node.QueuedAt = Time.GetTimestamp();
        }

        if (LockMetrics.Waiters.Enabled)
        {
            node.CountedAsWaiter = true;
            LockMetrics.Waiters.Add(1, Tags(shared));
        }
    }

    /// <summary>Gives the lock to a node already taken out of its queue; completed later by <see cref="CompleteGranted"/>; owner lock.</summary>
    protected void GrantLocked(WaitNode node, object guardTarget, long ticket, ref WaitNode? granted)
    {
        node.IsQueued = false;
        node.GuardTarget = guardTarget;
        node.Ticket = ticket;
        UncountLocked(node);
        node.NextGranted = granted;
        granted = node;
    }

    /// <summary>Timestamp for the hold histogram, or 0 when nobody listens.</summary>
    protected long HoldStart() => LockMetrics.HoldDuration.Enabled ? Time.GetTimestamp() : 0;

    protected void RecordHold(long heldSince, bool shared = false)
    {
        if (heldSince != 0)
        {
            LockMetrics.HoldDuration.Record(Time.GetElapsedTime(heldSince).TotalSeconds, Tags(shared));
        }
    }

    /// <summary>Records an acquisition that did not wait.</summary>
    protected void RecordImmediate(bool shared = false)
    {
        if (LockMetrics.WaitDuration.Enabled)
        {
            LockMetrics.WaitDuration.Record(0, Tags(shared));
        }
    }

    internal void RecordWait(long queuedAt, bool shared)
    {
        if (queuedAt != 0)
        {
            LockMetrics.WaitDuration.Record(Time.GetElapsedTime(queuedAt).TotalSeconds, Tags(shared));
        }
    }

    private ref readonly TagList Tags(bool shared) => ref shared ? ref _sharedTags : ref _exclusiveTags;

    private WaitNode? DequeueLocked(WaitNode node)
    {
        node.IsQueued = false;
        UncountLocked(node);
        return RemoveLocked(node);
    }

    private void UncountLocked(WaitNode node)
    {
        if (node.CountedAsWaiter)
        {
            node.CountedAsWaiter = false;
            LockMetrics.Waiters.Add(-1, Tags(node.IsShared));
        }
    }
}
