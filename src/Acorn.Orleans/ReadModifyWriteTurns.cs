using System.Collections.Concurrent;
using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>
/// One client's read-modify-writes, serialized per context before they reach the grain: the local turn.
/// </summary>
/// <remarks>
/// <para>
/// A delegate cannot cross a grain boundary, so an update function runs here, and the grain checks its result with
/// compare-and-set. Racing each other, k writers of one context would need about (k+1)/2 attempts per update. Instead,
/// this client's updates of one context queue; whoever finds the queue idle runs it: it takes every queued update (a
/// run), computes each on the version the one before it produces (starting from the last version this turn wrote or
/// read), and sends the run as one call (<see cref="IContextGrain.UpdateRunAsync"/>), written all or none on the version
/// it started from. Only another process's write makes a run conflict; the run is then computed again on the version
/// the conflict reports. So attempts grow with the number of processes writing a context, not with the number of tasks.
/// </para>
/// <para>
/// Outcomes: each update of a written run gets its version; an update whose function threw (or whose content breaks
/// the limits) gets that exception once the run it was decided in is written. When the run's write fails, its updates
/// get the failure, and those that were refused are decided again on a fresh read.
/// </para>
/// </remarks>
internal sealed class ReadModifyWriteTurns(ContextGrainClient client)
{
    // The update function running on this thread, so that one writing to its own context fails instead of waiting for itself.
    [ThreadStatic]
    private static (ReadModifyWriteTurns Owner, string Id)? t_running;

    private readonly ConcurrentDictionary<string, Turn> _turns = new(StringComparer.Ordinal);

    /// <summary>Queues an update for its context's turn and returns its outcome.</summary>
    public Task<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, Action<ContextChangeKind, ContextWriteResult, ContextState>? written, CancellationToken cancellationToken)
    {
        if (t_running is { } running && running.Owner == this && running.Id == id)
        {
            return Task.FromException<ContextState>(new InvalidOperationException(
                $"An update function of context '{id}' wrote to that same context: it would wait for its own turn. An update function must only compute the new content from the state it is given."));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ContextState>(cancellationToken);
        }

        var operation = new Update(update, written, cancellationToken);
        while (true)
        {
            var turn = _turns.GetOrAdd(id, static (id, owner) => new Turn(owner, id), this);
            if (turn.TryEnqueue(operation, out var start))
            {
                if (start)
                {
                    _ = turn.RunAsync();
                }

                return operation.Task.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>One queued update.</summary>
    private sealed class Update(
        Func<ContextState, ContextContent> function, Action<ContextChangeKind, ContextWriteResult, ContextState>? written, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<ContextState> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ContextState> Task => _completion.Task;

        public Func<ContextState, ContextContent> Function => function;

        public CancellationToken CancellationToken => cancellationToken;

        /// <summary>Why this update writes nothing in the run being planned (its function threw, or its content is refused).</summary>
        public Exception? Refusal { get; set; }

        public void Succeed(ContextRecord record, long change)
        {
            var state = record.ToState();
            written?.Invoke(ContextChangeKind.Updated, new ContextWriteResult(ContextWriteOutcome.Written, record, change), state);
            _completion.TrySetResult(state);
        }

        public void Fail(Exception exception) => _completion.TrySetException(exception);

        public void Cancel() => _completion.TrySetCanceled(cancellationToken);
    }

    /// <summary>One context's queue of updates and the version its last run left.</summary>
    private sealed class Turn(ReadModifyWriteTurns owner, string id)
    {
        private readonly object _gate = new();
        private List<Update> _waiting = [];
        private bool _running;
        private bool _retired;

        // Runner only: the newest version this turn knows (null: read it first).
        private ContextRecord? _head;

        public bool TryEnqueue(Update update, out bool start)
        {
            lock (_gate)
            {
                start = false;
                if (_retired)
                {
                    return false;
                }

                _waiting.Add(update);
                if (!_running)
                {
                    _running = start = true;
                }

                return true;
            }
        }

        /// <summary>Runs queued updates until none is left, then leaves the client's map.</summary>
        public async Task RunAsync()
        {
            List<Update> run = [];
            var yielded = false;
            try
            {
                while (true)
                {
                    lock (_gate)
                    {
                        // Updates queued meanwhile join the run (after the ones planned again, in arrival order).
                        run.AddRange(_waiting);
                        _waiting.Clear();
                        if (run.Count == 0 && yielded)
                        {
                            Retire();
                            return;
                        }
                    }

                    if (run.Count == 0)
                    {
                        // The callers just answered usually come back with their next update: give them the chance
                        // before leaving, so that the next run starts from the version known here instead of a read.
                        yielded = true;
                        await Task.Yield();
                        continue;
                    }

                    yielded = false;
                    run = await SettleAsync(run).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                // Only a bug gets here (SettleAsync turns every expected failure into outcomes): nobody may wait forever.
                lock (_gate)
                {
                    run.AddRange(_waiting);
                    _waiting.Clear();
                    Retire();
                }

                FailAll(run, ex);
            }
        }

        /// <summary>Under the gate: stops taking updates; a caller arriving now starts a new turn.</summary>
        private void Retire()
        {
            _running = false;
            _retired = true;
            owner._turns.TryRemove(KeyValuePair.Create(id, this));
        }

        /// <summary>Plans and writes one run; returns the updates to plan again (on a conflict), or none.</summary>
        private async Task<List<Update>> SettleAsync(List<Update> run)
        {
            run.RemoveAll(u =>
            {
                if (!u.CancellationToken.IsCancellationRequested)
                {
                    return false;
                }

                u.Cancel();
                return true;
            });
            if (run.Count == 0)
            {
                return run;
            }

            if (_head is null)
            {
                try
                {
                    _head = await owner.Client.FindRecordAsync(id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ContextException)
                {
                    return FailAll(run, ex);
                }

                if (_head is null)
                {
                    return FailAll(run, new ContextNotFoundException(id));
                }
            }

            var (writes, writers) = Plan(run, _head);
            if (writes.Count == 0)
            {
                return RefuseAll(run);
            }

            ContextRunResult result;
            try
            {
                result = await owner.Client.WriteRunAsync(id, writes, _head.Version).ConfigureAwait(false);
            }
            catch (ContextException ex)
            {
                // The updates written get the failure; the refused ones are decided again on a fresh read.
                _head = null;
                writers.ForEach(w => w.Fail(ex));
                run.RemoveAll(writers.Contains);
                return run;
            }

            switch (result.Outcome)
            {
                case ContextWriteOutcome.Written:
                    for (var i = 0; i < writers.Count; i++)
                    {
                        writers[i].Succeed(result.Records[i], result.FirstChange + i);
                    }

                    _head = result.Records[^1];
                    run.RemoveAll(writers.Contains);
                    return RefuseAll(run);
                case ContextWriteOutcome.VersionConflict:
                    // Another process wrote first: compute the run again on its version.
                    _head = result.Records[0];
                    return run;
                case ContextWriteOutcome.InvalidContent:
                    // The silo's limits refuse one update; the others are computed again without it.
                    var refused = writers[result.RefusedIndex];
                    refused.Fail(new InvalidContextDataException(id, result.Reason ?? "refused by the silo"));
                    run.Remove(refused);
                    return run;
                case ContextWriteOutcome.NotFound:
                    _head = null;
                    return FailAll(run, new ContextNotFoundException(id));
                default:
                    _head = null;
                    return FailAll(run, new ContextStoreException(id, $"context '{id}': unexpected grain outcome {result.Outcome}"));
            }
        }

        /// <summary>Runs each update's function on the state the ones before it produce.</summary>
        private (List<ContextWrite> Writes, List<Update> Writers) Plan(List<Update> run, ContextRecord head)
        {
            var writes = new List<ContextWrite>(run.Count);
            var writers = new List<Update>(run.Count);
            var state = head.ToState();
            var now = DateTimeOffset.UtcNow;
            foreach (var update in run)
            {
                update.Refusal = null;
                ContextWrite write;
                try
                {
                    t_running = (owner, id);
                    write = owner.Client.Checked(id, update.Function(state));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    update.Refusal = ex;
                    continue;
                }
                finally
                {
                    t_running = null;
                }

                writes.Add(write);
                writers.Add(update);
                var expiresAt = write.TimeToLive switch
                {
                    null => state.ExpiresAt,
                    { } ttl when ttl == Timeout.InfiniteTimeSpan => null,
                    { } ttl => now + ttl,
                };

                // What the grain will write, as the next function sees it (the grain's own clock sets the real timestamps).
                state = ContextState.FromStore(id, state.Version + 1, state.CreatedAt, now, expiresAt, write.DataJson, write.Metadata);
            }

            return (writes, writers);
        }

        private static List<Update> RefuseAll(List<Update> run)
        {
            run.ForEach(u => u.Fail(u.Refusal!));
            return [];
        }

        private static List<Update> FailAll(List<Update> run, Exception exception)
        {
            run.ForEach(u => u.Fail(exception));
            return [];
        }
    }

    private ContextGrainClient Client => client;
}
