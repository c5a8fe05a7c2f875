using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>One context's queue of writes, the writes it has in flight, and their publication in order.</summary>
    /// <param name="manager">The manager the context belongs to.</param>
    /// <param name="id">The context.</param>
    /// <remarks>A new turn starts with a combiner: the caller that created it, which combines its own write first.</remarks>
    private sealed partial class ContextTurn(ContextManager manager, string id)
    {
        // A Monitor rather than System.Threading.Lock: Coyote controls Monitor, so schedule exploration can pause a
        // thread inside the gate and still run the others.
        private readonly object _gate = new();

        // Gate: operations waiting for a combiner, in arrival order.
        private TurnOperation? _waitingHead;
        private TurnOperation? _waitingTail;

        // Gate: operations planned and not yet completed, in planning order (writes and the outcomes decided on them).
        private TurnOperation? _inFlightHead;
        private TurnOperation? _inFlightTail;

        // Gate: operations planned on a write that failed, to plan again once nothing is in flight.
        private TurnOperation? _doomedHead;
        private TurnOperation? _doomedTail;

        // Gate: writes whose outcome is unknown, whose callers are told once the context is read back from the store.
        private TurnOperation? _heldHead;
        private TurnOperation? _heldTail;

        // Gate: a combiner runs; the turn is among the manager's idle turns; the turn left the manager's map; a write in
        // flight failed; the context must be read back from the store; the failed chain holds a write whose outcome is unknown.
        private bool _combining = true;
        private bool _parked;
        private bool _retired;
        private bool _broken;
        private bool _uncertain;
        private bool _brokenUncertainly;

        // Gate: the durable a Complete is last set to follow, so that it is not followed twice in a row.
        private Task? _observed;

        // Combiner: the context after every write planned so far, valid while _headKnown.
        private ContextState? _head;
        private bool _headKnown;

        // Gate: made on the turn's first update; while attached, the context's entry in the manager's map, which the turn's
        // updates write through.
        private CommittedCell? _cell;

        // Gate: the context's committed state as this turn last installed it, valid while _committedKnown. While the turn
        // is in the manager's map, only it changes its context's committed state (a load installs only ids no write has
        // resolved), so it need not look that state up again for each write it publishes.
        private ContextState? _committed;
        private bool _committedKnown;

        /// <summary>Gate: the context's committed state, before the turn publishes a write on it.</summary>
        private ContextState? Committed
        {
            get => _committedKnown ? _committed : manager.CommittedOf(id);
            set
            {
                _committed = value;
                _committedKnown = true;
            }
        }

        /// <summary>Queues <paramref name="operation"/>; <see langword="false"/> when the turn retired (a fresh one must replace it).</summary>
        /// <param name="operation">The write.</param>
        /// <param name="combine">Whether the caller became the combiner and must start <see cref="CombineAsync"/>.</param>
        /// <param name="first">
        /// When the turn had nothing waiting and nothing to recover from: <paramref name="operation"/> itself, taken as the
        /// combiner's first run (what the combiner's first step would take, without that step's pass through the gate).
        /// </param>
        public bool TryEnqueue(TurnOperation operation, out bool combine, out TurnOperation? first)
        {
            lock (_gate)
            {
                combine = false;
                first = null;
                if (_retired)
                {
                    return false;
                }

                if (!_combining && _waitingHead is null && !_broken && RunsNext(operation))
                {
                    // Withdrawn since it was armed: it already has its outcome, and the turn stays as it was.
                    if (operation.TryTake())
                    {
                        _combining = combine = true;
                        first = operation;
                    }

                    return true;
                }

                Append(ref _waitingHead, ref _waitingTail, operation);
                if (!_combining)
                {
                    _combining = combine = true;
                }

                return true;
            }
        }

        /// <summary>
        /// Plans and submits runs of queued operations until none is left. The caller that became the combiner runs the
        /// first run inline (its own write is in it); later runs continue on the thread pool.
        /// </summary>
        /// <param name="inline">Whether the caller whose write needed the turn runs this (later runs then go to the pool).</param>
        /// <param name="first">A run already taken (<see cref="TryEnqueue"/>), or <see langword="null"/>.</param>
        [SuppressMessage(
            "Concurrency",
            "ACRN003",
            Justification = "The combiner role is the turn: submissions, and the waits for writes in flight after a failure, are part of it.")]
        public async Task CombineAsync(bool inline, TurnOperation? first = null)
        {
            try
            {
                while (true)
                {
                    TurnOperation? run = first;
                    Task[]? drain = null;
                    var step = run is null ? NextStep(out run, out drain) : Step.Run;
                    first = null;
                    switch (step)
                    {
                        case Step.Done:
                            return;
                        case Step.Park:
                            manager.Park(this);
                            return;
                        case Step.Drain:
                            await SettledAsync(drain!).ConfigureAwait(false);
                            Complete();
                            continue;
                        case Step.Reread:
                            if (!await RereadAsync().ConfigureAwait(false))
                            {
                                return;
                            }

                            continue;
                    }

                    if (await RunAsync(run!).ConfigureAwait(false))
                    {
                        return;
                    }

                    if (inline && Volatile.Read(ref _waitingHead) is not null)
                    {
                        // The first run held this caller's own write; later runs are not its work to wait for.
                        inline = false;
                        await Task.Yield();
                    }
                }
            }
            catch (Exception ex)
            {
                // Only a bug gets here (planning, submission and publication catch what they expect).
                manager.CombinerFailed(id, ex);
                StopCombining(ex);
            }
        }

        private enum Step
        {
            Done,
            Park,
            Drain,
            Reread,
            Run,
        }

        /// <summary>Under the gate: what the combiner does next, and the run it takes or the writes it waits for.</summary>
        private Step NextStep(out TurnOperation? run, out Task[]? drain)
        {
            run = null;
            drain = null;
            lock (_gate)
            {
                if (_broken)
                {
                    if (_inFlightHead is not null)
                    {
                        drain = DurablesInFlight();
                        return Step.Drain;
                    }

                    // Every write in flight has its outcome: what was planned on the failed one is planned again first.
                    if (_doomedHead is not null)
                    {
                        _doomedTail!.Next = _waitingHead;
                        _waitingHead = _doomedHead;
                        _waitingTail ??= _doomedTail;
                        _doomedHead = _doomedTail = null;
                    }

                    _broken = false;
                    _brokenUncertainly = false;
                    _headKnown = false;
                }

                if (_uncertain)
                {
                    return Step.Reread;
                }

                if (_waitingHead is { } head && !RunsNext(head))
                {
                    drain = DurablesInFlight();
                    return Step.Drain;
                }

                run = TakeRun(untilOwnTurn: true);
                if (run is null)
                {
                    _combining = false;
                    return ParkIfIdle() ? Step.Park : Step.Done;
                }
            }

            return Step.Run;
        }

        /// <summary>
        /// Under the gate, with no failure left to recover from: whether <paramref name="head"/>, first in the queue, may be
        /// planned now (one that needs committed state waits for the writes in flight). <see cref="NextStep"/> decides by
        /// it, and so does <see cref="TryEnqueue"/> when it takes a write as the first run of an idle turn.
        /// </summary>
        private bool RunsNext(TurnOperation head) => !_uncertain && (!head.NeedsCommittedHead || _inFlightHead is null);

        /// <summary>
        /// Under the gate: takes the queued operations, minus withdrawn ones; with <paramref name="untilOwnTurn"/>, only up to
        /// the next one that needs a turn of its own.
        /// </summary>
        private TurnOperation? TakeRun(bool untilOwnTurn)
        {
            TurnOperation? head = null, tail = null;
            while (_waitingHead is { } next)
            {
                if (untilOwnTurn && next.NeedsCommittedHead && head is not null)
                {
                    break;
                }

                _waitingHead = next.Next;
                next.Next = null;
                if (!next.TryTake())
                {
                    continue;
                }

                Append(ref head, ref tail, next);
                if (untilOwnTurn && next.NeedsCommittedHead)
                {
                    break;
                }
            }

            if (_waitingHead is null)
            {
                _waitingTail = null;
            }

            return head;
        }

        /// <summary>
        /// Plans a run on the running head and hands each write to the store as soon as it is planned (so the store's next
        /// commit can take it while the rest of the run is planned), then makes the run wait for its outcomes.
        /// </summary>
        /// <returns>Whether the combiner's work ended with it: nothing was queued meanwhile (see <see cref="Complete"/>).</returns>
        private async ValueTask<bool> RunAsync(TurnOperation run)
        {
            if (!_headKnown)
            {
                _head = manager.CommittedOf(id);
                _headKnown = true;
            }

            var now = manager._time.GetUtcNow();
            if (run.NeedsCommittedHead && !IsExpired(_head, now))
            {
                Plan(run, now);
                await RunAloneAsync(run).ConfigureAwait(false);
                return false;
            }

            var size = 0;
            SubmitFailure? submitFailure = null;
            Task? lastDurable = null;
            TurnOperation? previous = null;
            for (var operation = run; operation is not null; previous = operation, operation = operation.Next)
            {
                if (operation is not ExpireOperation && IsExpired(_head, now))
                {
                    // A write that finds its context expired removes it through the same path as the sweeper.
                    var expiry = new ExpireOperation(id) { Next = operation };
                    if (previous is null)
                    {
                        run = expiry;
                    }
                    else
                    {
                        previous.Next = expiry;
                    }

                    operation = expiry;
                }

                size++;
                Plan(operation, now);
                if (operation.Write is not { } write)
                {
                    continue;
                }

                if (submitFailure is not null)
                {
                    // Planned on a write the store never accepted: it fails the same way, and is planned again.
                    operation.Durable = submitFailure.Task;
                    continue;
                }

                try
                {
                    operation.Durable = await manager._store.SubmitAsync(write, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    submitFailure = new SubmitFailure(ex);
                    operation.Durable = submitFailure.Task;
                }

                lastDurable = operation.Durable;
            }

            ContextMetrics.TurnRunSize.Record(size);
            if (lastDurable is { IsCompleted: false })
            {
                // A store acknowledges one context's writes in the order they were submitted, so once the run's last write
                // has its outcome the others have theirs, and one Complete delivers them all (should an earlier one still
                // be pending, Complete waits for that one next). It may run before the run joins the writes in flight
                // below; the Complete after that sees the outcomes then.
                Observe(lastDurable);
            }

            return Complete(run);
        }

        /// <summary>Plans one operation on the running head: a write moves the head, a refusal is kept for its caller.</summary>
        private void Plan(TurnOperation operation, DateTimeOffset now)
        {
            if (operation.QueuedAt != 0)
            {
                ContextMetrics.TurnWait.Record(Stopwatch.GetElapsedTime(operation.QueuedAt).TotalSeconds);
                operation.QueuedAt = 0;
            }

            try
            {
                operation.Plan(manager, _head, now);
                if (operation.Write is not null and not AddRecoveryPointWrite)
                {
                    _head = operation.NewHead;
                }
            }
            catch (Exception ex)
            {
                operation.ForgetPlan();
                operation.Refusal = ex;
            }
        }

        private static bool IsExpired(ContextState? head, DateTimeOffset now) => head is not null && head.IsExpiredAt(now);

        /// <summary>A recovery point: planned on committed state with nothing in flight, committed before the next run.</summary>
        private async ValueTask RunAloneAsync(TurnOperation operation)
        {
            if (operation.Refusal is { } refusal)
            {
                operation.Fail(refusal);
                return;
            }

            try
            {
                await manager._store.WriteAsync(operation.Write!, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                operation.Fail(manager.WriteFailure(operation.Write!, ex));
                return;
            }

            operation.Succeed();
        }
    }
}
