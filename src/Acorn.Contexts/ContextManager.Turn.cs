using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <remarks>
/// <para>
/// <b>Turns.</b> The writes to one context form that context's queue. Whoever finds the queue without a combiner
/// becomes its combiner: it takes every queued write (a run), plans each on the running head (the context after every
/// write planned before it, durable or still in flight), hands the run's writes to the store together
/// (<see cref="IContextStore.SubmitAsync"/>) and goes on with the next run. Each write is planned once, so a hot
/// context's read-modify-writes never retry, and a run's consecutive versions share the store's group commits. The
/// combiner never waits for a commit: the writes of several runs may be in flight at once.
/// </para>
/// <para>
/// <b>Outcomes in order.</b> The writes in flight, and the refusals and results decided on them, are completed in the
/// order they were planned, once everything before them is settled: a write becomes visible, and its caller returns,
/// only once it is durable; a refusal (not found, exists, conflict, limit, an update function's exception) is
/// delivered only once the writes it was decided on are durable, so it never rests on a write that might still fail.
/// </para>
/// <para>
/// <b>Failures.</b> When a write in flight fails, its caller gets the failure and the turn is broken: every operation
/// planned after it was planned on a state that will never exist, so once all writes in flight have their outcome those
/// operations are planned again, in order, from committed state; their callers see only their own outcome. When the
/// store cannot say whether a write happened (<see cref="ContextWriteOutcomeUnknownException"/>, or a stale-version
/// refusal nothing explains), the turn reads the context back from the store before it plans anything else.
/// </para>
/// <para>
/// Lock order: a turn's gate (a short synchronous section: queue links, publication of durable writes in version
/// order), then the change feed's subscriber buffers. No caller code and no store call runs under the gate.
/// </para>
/// </remarks>
public sealed partial class ContextManager
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContextTurn> _turns = new(StringComparer.Ordinal);

    /// <summary>How many contexts have a turn: those with writes queued or in flight, and none once every write has settled.</summary>
    internal int TurnCount => _turns.Count;

    /// <summary>Queues <paramref name="operation"/> for its context's turn and returns its outcome.</summary>
    private ValueTask<ContextState?> TakeTurnAsync(TurnOperation operation, CancellationToken cancellationToken)
    {
        if (ReadModifyWriteOperation.Current is { } running && running.Manager == this && running.Id == operation.Id)
        {
            return ValueTask.FromException<ContextState?>(new InvalidOperationException(
                $"An update function of context '{operation.Id}' wrote to that same context: it would wait for its own turn. An update function must only compute the new content from the state it is given."));
        }

        if (!operation.Arm(cancellationToken))
        {
            return operation.Outcome;
        }

        if (ContextMetrics.TurnWait.Enabled)
        {
            operation.QueuedAt = Stopwatch.GetTimestamp();
        }

        while (true)
        {
            var turn = _turns.GetOrAdd(operation.Id, static (id, manager) => new ContextTurn(manager, id), this);
            if (turn.TryEnqueue(operation, out var combine))
            {
                if (combine)
                {
                    _ = turn.CombineAsync(inline: true);
                }

                return operation.Outcome;
            }
        }
    }

    /// <summary>One context's queue of writes, the writes it has in flight, and their publication in order.</summary>
    private sealed class ContextTurn(ContextManager manager, string id)
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

        // Gate: a combiner runs; the turn left the manager's map; a write in flight failed; the context must be read
        // back from the store; the failed chain holds a write whose outcome is unknown.
        private bool _combining;
        private bool _retired;
        private bool _broken;
        private bool _uncertain;
        private bool _brokenUncertainly;

        // Gate: the durable a Complete is last set to follow, so that it is not followed twice in a row.
        private Task? _observed;

        // Combiner: the context after every write planned so far, valid while _headKnown.
        private ContextState? _head;
        private bool _headKnown;

        public bool TryEnqueue(TurnOperation operation, out bool combine)
        {
            lock (_gate)
            {
                combine = false;
                if (_retired)
                {
                    return false;
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
        [SuppressMessage(
            "Concurrency",
            "ACRN003",
            Justification = "The combiner role is the turn: submissions, and the waits for writes in flight after a failure, are part of it.")]
        public async Task CombineAsync(bool inline)
        {
            try
            {
                while (true)
                {
                    var step = NextStep(out var run, out var drain);
                    switch (step)
                    {
                        case Step.Done:
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

                    await RunAsync(run!).ConfigureAwait(false);
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

                if (_waitingHead?.NeedsCommittedHead == true && _inFlightHead is not null)
                {
                    drain = DurablesInFlight();
                    return Step.Drain;
                }

                run = TakeRun(untilOwnTurn: true);
                if (run is null)
                {
                    _combining = false;
                    RetireIfIdle();
                    return Step.Done;
                }
            }

            return Step.Run;
        }

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
        private async ValueTask RunAsync(TurnOperation run)
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
                return;
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

            lock (_gate)
            {
                for (var operation = run; operation is not null;)
                {
                    var next = operation.Next;
                    operation.Next = null;
                    Append(ref _inFlightHead, ref _inFlightTail, operation);
                    operation = next;
                }
            }

            Complete();
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

        /// <summary>Runs <see cref="Complete"/> once <paramref name="durable"/> has its outcome (an awaited continuation, which Coyote controls).</summary>
        private async Task CompleteWhenDurableAsync(Task durable)
        {
            await SettledAsync([durable]).ConfigureAwait(false);
            Complete();
        }

        /// <summary>
        /// Completes, in planning order, every operation in flight whose outcome is known: publishes durable writes and
        /// tells their callers, delivers refusals once the writes before them settled, and sets aside what was planned
        /// on a failed write. Starts a combiner when that work needs one and none runs.
        /// </summary>
        public void Complete()
        {
            TurnOperation? outcomes = null, outcomesTail = null;
            Task? observe = null;
            var combine = false;
            lock (_gate)
            {
                while (_inFlightHead is { } operation)
                {
                    if (operation.Write is not null && operation.Durable is not { IsCompleted: true })
                    {
                        observe = operation.Durable;
                        break;
                    }

                    _inFlightHead = operation.Next;
                    operation.Next = null;
                    if (Settle(operation))
                    {
                        AppendOutcome(ref outcomes, ref outcomesTail, operation);
                    }
                }

                if (_inFlightHead is null)
                {
                    _inFlightTail = null;
                    if (!_combining && (_broken || _uncertain || _waitingHead is not null))
                    {
                        _combining = combine = true;
                    }
                    else
                    {
                        RetireIfIdle();
                    }
                }
            }

            for (var operation = outcomes; operation is not null;)
            {
                var next = operation.NextOutcome;
                operation.NextOutcome = null;
                if (operation.Refusal is { } error)
                {
                    operation.Fail(error);
                }
                else
                {
                    operation.Succeed();
                }

                operation = next;
            }

            if (observe is not null)
            {
                Observe(observe);
            }

            if (combine)
            {
                _ = CombineAsync(inline: false);
            }
        }

        /// <summary>Makes sure a Complete follows once <paramref name="durable"/> has its outcome; once per durable.</summary>
        private void Observe(Task durable)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_observed, durable))
                {
                    return;
                }

                _observed = durable;
            }

            _ = CompleteWhenDurableAsync(durable);
        }

        /// <summary>Under the gate: decides one operation whose turn to complete has come; returns whether its caller is told now.</summary>
        private bool Settle(TurnOperation operation)
        {
            if (operation.Write is null)
            {
                // A refusal, or a plan that needed no write: it rests on the writes before it, which all settled.
                return _broken ? Doom(operation) : true;
            }

            if (operation.Durable!.IsCompletedSuccessfully)
            {
                manager.PublishCommitted(operation.Write, operation.NewHead, operation.Kind);
                return true;
            }

            if (operation.ReservesSlot)
            {
                manager.ReleaseSlot();
            }

            var failure = operation.Durable.Exception?.InnerException ?? new OperationCanceledException();
            var unknown = IsOutcomeUnknown(failure);
            if (_broken)
            {
                if (unknown && _brokenUncertainly)
                {
                    // Planned on a write that may have happened: so may this one.
                    operation.Refusal = manager.WriteFailure(operation.Write, failure);
                    return true;
                }

                return Doom(operation);
            }

            _broken = true;
            if (failure is ContextVersionConflictException && ++operation.Divergences <= MaxDivergences)
            {
                // Nothing failed before it, yet the store holds another version: memory and store diverged (another
                // writer, an earlier outcome that was unknown). Read the context back, and plan this write again on it.
                _uncertain = true;
                return Doom(operation);
            }

            if (unknown)
            {
                _uncertain = _brokenUncertainly = true;
            }

            operation.Refusal = manager.WriteFailure(operation.Write, failure);
            return true;
        }

        /// <summary>Under the gate: sets an operation aside to be planned again, once nothing is in flight.</summary>
        private bool Doom(TurnOperation operation)
        {
            operation.ForgetPlan();
            Append(ref _doomedHead, ref _doomedTail, operation);
            return false;
        }

        /// <summary>Reads the committed row back after an unknown outcome and continues from it; <see langword="false"/> when it could not.</summary>
        private async ValueTask<bool> RereadAsync()
        {
            ContextState? stored;
            try
            {
                stored = await manager._store.ReadContextAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Nothing can be planned without knowing the committed state: the waiting writes fail, and the next
                // write to this context tries the read again.
                StopCombining(new ContextStoreException(
                    id, $"Context '{id}' could not be read back after a write whose outcome is unknown; nothing was changed.", ex));
                return false;
            }

            lock (_gate)
            {
                manager.InstallCommitted(id, stored);
                _uncertain = false;
            }

            _head = stored;
            _headKnown = true;
            return true;
        }

        /// <summary>Under the gate: completes when every write in flight has its outcome (successful or not).</summary>
        private Task[] DurablesInFlight()
        {
            var durables = new List<Task>();
            for (var operation = _inFlightHead; operation is not null; operation = operation.Next)
            {
                if (operation.Durable is { } durable)
                {
                    durables.Add(durable);
                }
            }

            return [.. durables];
        }

        private static async ValueTask SettledAsync(Task[] durables)
        {
            try
            {
                await Task.WhenAll(durables).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Their outcomes reach their callers through Complete; here only "settled" matters.
            }
        }

        /// <summary>Fails every waiting operation and ends this combiner; the next write to arrive starts a new one.</summary>
        private void StopCombining(Exception failure)
        {
            TurnOperation? failed;
            lock (_gate)
            {
                failed = TakeRun(untilOwnTurn: false);
                _combining = false;
                RetireIfIdle();
            }

            for (var operation = failed; operation is not null;)
            {
                var next = operation.Next;
                operation.Next = null;
                operation.Fail(failure);
                operation = next;
            }
        }

        /// <summary>Under the gate: leaves the manager's map once there is nothing left to do, so idle contexts cost nothing.</summary>
        private void RetireIfIdle()
        {
            if (!_combining && !_retired && _waitingHead is null && _inFlightHead is null && _doomedHead is null && !_broken && !_uncertain)
            {
                _retired = true;
                manager._turns.TryRemove(KeyValuePair.Create(id, this));
            }
        }

        private static bool IsOutcomeUnknown(Exception failure) =>
            failure is ContextWriteOutcomeUnknownException || failure is not (ContextException or OperationCanceledException);

        private static void Append(ref TurnOperation? head, ref TurnOperation? tail, TurnOperation operation)
        {
            if (tail is null)
            {
                head = operation;
            }
            else
            {
                tail.Next = operation;
            }

            tail = operation;
        }

        private static void AppendOutcome(ref TurnOperation? head, ref TurnOperation? tail, TurnOperation operation)
        {
            if (tail is null)
            {
                head = operation;
            }
            else
            {
                tail.NextOutcome = operation;
            }

            tail = operation;
        }

        /// <summary>A submission the store refused outright, shared by the writes of the run planned on it.</summary>
        private sealed class SubmitFailure(Exception error)
        {
            public Task Task { get; } = System.Threading.Tasks.Task.FromException(error);
        }
    }
}
