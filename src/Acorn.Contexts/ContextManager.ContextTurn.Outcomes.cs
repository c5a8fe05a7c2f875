namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    // Completion: outcomes in planning order, failures, re-reads, going idle.
    private sealed partial class ContextTurn
    {
        /// <summary>Runs <see cref="Complete"/> once <paramref name="durable"/> has its outcome (an awaited continuation, which Coyote controls).</summary>
        private async Task CompleteWhenDurableAsync(Task durable)
        {
            try
            {
                // Awaited alone rather than through SettledAsync: every write that waits for a commit comes here, and
                // a one-task WhenAll costs an array and a promise; throwing costs only when a write failed.
                await durable.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Its outcome reaches its caller through Complete; here only "settled" matters.
            }

            Complete();
        }

        /// <summary>
        /// Completes, in planning order, every operation in flight whose outcome is known: publishes durable writes and
        /// tells their callers, delivers refusals once the writes before them settled, and sets aside what was planned
        /// on a failed write. Starts a combiner when that work needs one and none runs.
        /// </summary>
        /// <param name="planned">
        /// A run its combiner just planned and submitted, which joins the writes in flight first (one gate for both). When
        /// nothing was queued meanwhile and nothing has failed, the combiner's work ends here, as its next step would end it.
        /// </param>
        /// <returns>Whether the combiner that passed <paramref name="planned"/> is done.</returns>
        public bool Complete(TurnOperation? planned = null)
        {
            TurnOperation? outcomes = null, outcomesTail = null;
            Task? observe = null;
            bool combine = false, park = false, ended = false;
            var fromCombiner = planned is not null;
            lock (_gate)
            {
                while (planned is not null)
                {
                    var next = planned.Next;
                    planned.Next = null;
                    Append(ref _inFlightHead, ref _inFlightTail, planned);
                    planned = next;
                }

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
                        // Out of the writes in flight, its link is free to chain the outcomes told after the gate.
                        Append(ref outcomes, ref outcomesTail, operation);
                    }
                }

                if (fromCombiner && _waitingHead is null && !_broken && !_uncertain)
                {
                    // What the combiner's next step would decide; a failure just settled is left to that step.
                    _combining = false;
                    ended = true;
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
                        park = ParkIfIdle();
                    }
                }
            }

            if (park)
            {
                manager.Park(this);
            }

            for (var operation = outcomes; operation is not null;)
            {
                var next = operation.Next;
                operation.Next = null;
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

            return ended;
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
                // The turn's first update makes its cell, which its later writes go through; creates alone need none.
                var before = Committed;
                var cell = before is not null && operation.NewHead is not null ? _cell ??= new() : _cell;
                manager.PublishCommitted(operation.Write, before, operation.NewHead, operation.Kind, operation.ReservesSlot, cell);
                Committed = operation.NewHead;
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
                    return HoldUntilReread(operation);
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

            operation.Refusal = manager.WriteFailure(operation.Write, failure);
            if (unknown)
            {
                _uncertain = _brokenUncertainly = true;
                return HoldUntilReread(operation);
            }

            return true;
        }

        /// <summary>
        /// Under the gate: keeps the caller of a write whose outcome is unknown until the context is read back from the
        /// store, so that a read after the error shows what the store holds (which tells whether the write happened).
        /// </summary>
        private bool HoldUntilReread(TurnOperation operation)
        {
            Append(ref _heldHead, ref _heldTail, operation);
            return false;
        }

        /// <summary>Tells the callers held for the read-back their outcome (unknown), once it is done or has failed.</summary>
        private void TellHeld()
        {
            TurnOperation? held;
            lock (_gate)
            {
                held = _heldHead;
                _heldHead = _heldTail = null;
            }

            while (held is not null)
            {
                var next = held.Next;
                held.Next = null;
                held.Fail(held.Refusal!);
                held = next;
            }
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
                // write to this context tries the read again. The callers of the writes whose outcome is unknown hear it
                // after that (memory not read back), so that a write they send next finds the combiner stopped.
                StopCombining(new ContextStoreException(
                    id, $"Context '{id}' could not be read back after a write whose outcome is unknown; nothing was changed.", ex));
                TellHeld();
                return false;
            }

            lock (_gate)
            {
                manager.InstallCommitted(id, stored, _cell);
                Committed = stored;
                _uncertain = false;
            }

            _head = stored;
            _headKnown = true;
            TellHeld();
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
            bool park;

            // The run that failed may have moved the head past what it submitted.
            _headKnown = false;
            lock (_gate)
            {
                failed = TakeRun(untilOwnTurn: false);
                _combining = false;
                park = ParkIfIdle();
            }

            if (park)
            {
                manager.Park(this);
            }

            for (var operation = failed; operation is not null;)
            {
                var next = operation.Next;
                operation.Next = null;
                operation.Fail(failure);
                operation = next;
            }
        }

        private bool IsIdle =>
            !_combining && !_retired && _waitingHead is null && _inFlightHead is null && _doomedHead is null && _heldHead is null && !_broken && !_uncertain;

        /// <summary>
        /// Under the gate: once there is nothing left to do, returns whether the turn must join the manager's idle turns
        /// (<see cref="Park"/>) after the gate. The head stays: with nothing in flight and nothing failed it is the
        /// committed state, and only this turn changes that while it is in the manager's map.
        /// </summary>
        private bool ParkIfIdle()
        {
            if (!IsIdle)
            {
                return false;
            }

            _observed = null;
            if (_parked)
            {
                return false;
            }

            _parked = true;
            return true;
        }

        /// <summary>
        /// Pushed out of the manager's idle turns: leaves the manager's map if it is still idle, so idle contexts cost
        /// nothing; a busy one parks again when it next goes idle.
        /// </summary>
        public void Evict()
        {
            lock (_gate)
            {
                _parked = false;
                if (IsIdle)
                {
                    _retired = true;
                    if (_cell is not null)
                    {
                        manager._contexts.Release(id, _cell);
                    }

                    manager._turns.TryRemove(KeyValuePair.Create(id, this));
                }
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

        /// <summary>A submission the store refused outright, shared by the writes of the run planned on it.</summary>
        private sealed class SubmitFailure(Exception error)
        {
            public Task Task { get; } = System.Threading.Tasks.Task.FromException(error);
        }
    }
}
