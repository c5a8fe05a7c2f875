using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Acorn.Threading;

namespace Acorn.Contexts;

/// <remarks>
/// <para>
/// <b>Pipelined writes.</b> A context's lock is held only while a write is planned and handed to the store
/// (<see cref="IContextStore.SubmitAsync"/>), not while it commits: the next writer of the same context plans on top of
/// the write still in flight, so a hot context's versions share the store's group commits instead of paying one commit
/// each. Readers see a write only once it is durable; its caller returns only then.
/// </para>
/// <para>
/// Two rules keep this linearizable. A refusal (not found, already exists, version conflict, limit) is never based on a
/// write that might still fail: the writer first waits for the context's writes in flight, then decides again on
/// committed state. And when a write in flight fails, the writes planned on top of it fail at the store's version check
/// (they expect a version that never came to be); their callers plan again from committed state, because nothing of
/// theirs happened.
/// </para>
/// <para>
/// Lock order: the context's async lock, then a pipeline's gate (a short synchronous section that publishes committed
/// writes in version order), then the change feed's subscriber buffers.
/// </para>
/// </remarks>
public sealed partial class ContextManager
{
    private readonly ConcurrentDictionary<string, ContextPipeline> _pipelines = new(StringComparer.Ordinal);

    /// <summary>
    /// The context's latest accepted state, committed or still in flight, for read-modify-write snapshots: planning on it
    /// lets the write chain behind the one in flight. Lock-free; <see langword="null"/> when there is no live context.
    /// </summary>
    private ContextState? HeadOf(string id)
    {
        var head = _pipelines.TryGetValue(id, out var pipeline) ? pipeline.Head : CommittedOf(id);
        return head is not null && !head.IsExpiredAt(_time.GetUtcNow()) ? head : null;
    }

    /// <summary>How many contexts have a pipeline: those with writes in flight, and none once every write has settled.</summary>
    internal int PipelineCount => _pipelines.Count;

    private ContextState? CommittedOf(string id) => _contexts.TryGetValue(id, out var state) ? state : null;

    /// <summary>
    /// Plans a write under the context's lock, submits it to the store, and waits (outside the lock) until it is durable
    /// and visible. A plan without a write returns its result at once; so does a busy lock when
    /// <paramref name="waitForLock"/> is <see langword="false"/> (with the default result).
    /// </summary>
    [SuppressMessage(
        "Concurrency",
        "ACRN003",
        Justification = "Planning and submitting must be one step per context: the lock is what hands the store one context's writes in version order (DESIGN invariant 4); the commit is awaited after it is released.")]
    private async ValueTask<TResult> PipelineWriteAsync<TArg, TResult>(
        string id,
        TArg arg,
        Func<ContextState?, TArg, string, WritePlan<TResult>> planner,
        CancellationToken cancellationToken,
        bool waitForLock = true)
    {
        while (true)
        {
            ContextPipeline pipeline;
            PipelinedWrite pending;
            WritePlan<TResult> plan;
            KeyedLockGuard<string> guard;
            if (waitForLock)
            {
                guard = await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false);
            }
            else if (!_locks.TryLock(id, out guard))
            {
                return default!;
            }

            using (guard)
            {
                (pipeline, plan, var appended) = await PlanLockedAsync(id, arg, planner, cancellationToken).ConfigureAwait(false);
                if (appended is null)
                {
                    return plan.Returned;
                }

                pending = appended;
                await SubmitLockedAsync(pipeline, plan, pending, cancellationToken).ConfigureAwait(false);
            }

            var failure = await pipeline.OutcomeAsync(pending).ConfigureAwait(false);
            if (failure is null)
            {
                return plan.Returned;
            }

            if (plan.ReservesSlot)
            {
                Interlocked.Decrement(ref _reservedCount);
            }

            if (!pending.FailedAfterEarlierFailure)
            {
                throw StoreFailure(pending.Write, failure);
            }
        }
    }

    /// <summary>
    /// Under the context's lock: runs the planner on the context's head and appends the planned write to the pipeline
    /// (none when the plan has no write). A refusal while writes are in flight waits for them and plans again.
    /// </summary>
    private async ValueTask<(ContextPipeline Pipeline, WritePlan<TResult> Plan, PipelinedWrite? Pending)> PlanLockedAsync<TArg, TResult>(
        string id, TArg arg, Func<ContextState?, TArg, string, WritePlan<TResult>> planner, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pipeline = await OpenPipelineLockedAsync(id, cancellationToken).ConfigureAwait(false);
            WritePlan<TResult> plan;
            try
            {
                plan = planner(pipeline.Head, arg, id);
            }
            catch (ContextException) when (pipeline.HasWritesInFlight)
            {
                await DrainLockedAsync(pipeline, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch
            {
                // Nothing joins it: a pipeline opened for a refused write must not stay behind (one per unknown id).
                pipeline.Complete();
                throw;
            }

            if (plan.Write is null)
            {
                pipeline.Complete();
                return (pipeline, plan, null);
            }

            var pending = new PipelinedWrite(plan.Write, plan.NewState, plan.Kind);
            if (pipeline.TryAppend(pending))
            {
                return (pipeline, plan, pending);
            }

            // The pipeline retired after it was opened: its last write completed, or failed, so its head may be a
            // version that never came to be. Plan again on a fresh one.
            if (plan.ReservesSlot)
            {
                Interlocked.Decrement(ref _reservedCount);
            }
        }
    }

    /// <summary>Under the context's lock: its pipeline, with a head that is neither broken by a failed write nor expired.</summary>
    private async ValueTask<ContextPipeline> OpenPipelineLockedAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pipeline = _pipelines.GetOrAdd(id, static (key, manager) => new ContextPipeline(manager, key, manager.CommittedOf(key)), this);
            if (pipeline.IsBroken)
            {
                await DrainLockedAsync(pipeline, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (pipeline.Head is { } head && head.IsExpiredAt(_time.GetUtcNow()))
            {
                // Rare: expiring through the unpipelined path keeps expiry in one place.
                await DrainLockedAsync(pipeline, cancellationToken).ConfigureAwait(false);
                if (CommittedOf(id) is { } committed)
                {
                    await ExpireIfDueLockedAsync(committed, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            return pipeline;
        }
    }

    /// <summary>Under the context's lock: hands the appended write to the store, chained behind the writes in flight.</summary>
    private async ValueTask SubmitLockedAsync<TResult>(
        ContextPipeline pipeline, WritePlan<TResult> plan, PipelinedWrite pending, CancellationToken cancellationToken)
    {
        var write = pending.Write;
        Task durable;
        try
        {
            durable = await _store.SubmitAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            pipeline.Abandon(pending);
            if (plan.ReservesSlot)
            {
                Interlocked.Decrement(ref _reservedCount);
            }

            throw StoreFailure(write, ex);
        }

        pipeline.Accept(pending, durable);
    }

    /// <summary>Under the context's lock: waits until every write in flight has its outcome and is published.</summary>
    [SuppressMessage(
        "Concurrency",
        "ACRN003",
        Justification = "Waiting for this context's own writes in flight is the point: the lock keeps new ones from joining meanwhile.")]
    private static async ValueTask DrainLockedAsync(ContextPipeline pipeline, CancellationToken cancellationToken)
    {
        foreach (var durable in pipeline.DurablesInFlight())
        {
            try
            {
                await durable.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The write's own caller reports its failure; here only its outcome matters.
            }
        }

        pipeline.Complete();
    }

    /// <summary>What a planner decided: a write to submit (and the caller's result once it is durable), or only a result.</summary>
    private readonly record struct WritePlan<TResult>(
        TResult Returned, ContextWrite? Write, ContextState? NewState, ContextChangeKind Kind, bool ReservesSlot);

    /// <summary>One write of a pipeline, from its submission to its publication.</summary>
    private sealed class PipelinedWrite(ContextWrite write, ContextState? newState, ContextChangeKind kind)
    {
        public ContextWrite Write { get; } = write;

        public ContextState? NewState { get; } = newState;

        public ContextChangeKind Kind { get; } = kind;

        /// <summary>Completes when the store made the write durable; <see langword="null"/> while it is being submitted.</summary>
        public Task? Durable { get; set; }

        /// <summary>The store never accepted it.</summary>
        public bool Abandoned { get; set; }

        /// <summary>It failed after an earlier write of its pipeline failed: it was planned on a version that never came to be.</summary>
        public bool FailedAfterEarlierFailure { get; set; }
    }

    /// <summary>
    /// One context's writes accepted by the store and not yet published, in version order. It retires when the last one
    /// is published; the next writer starts a new one from the committed state.
    /// </summary>
    private sealed class ContextPipeline(ContextManager manager, string id, ContextState? committed)
    {
        // A Monitor rather than System.Threading.Lock: Coyote controls Monitor, so schedule exploration can pause a
        // publication inside the gate and still run the others (it would hang on a lock it does not know).
        private readonly object _gate = new();
        private readonly Queue<PipelinedWrite> _inFlight = new();
        private volatile ContextState? _head = committed;
        private bool _retired;
        private bool _broken;

        /// <summary>The state after the last accepted write (<see langword="null"/>: no context).</summary>
        public ContextState? Head => _head;

        public bool HasWritesInFlight
        {
            get
            {
                lock (_gate)
                {
                    return _inFlight.Count > 0;
                }
            }
        }

        /// <summary>A write in flight failed, so the head is a version that will never exist.</summary>
        public bool IsBroken
        {
            get
            {
                lock (_gate)
                {
                    return _broken;
                }
            }
        }

        public bool TryAppend(PipelinedWrite pending)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return false;
                }

                _inFlight.Enqueue(pending);
                return true;
            }
        }

        public void Accept(PipelinedWrite pending, Task durable)
        {
            lock (_gate)
            {
                pending.Durable = durable;
            }

            _head = pending.NewState;
        }

        public void Abandon(PipelinedWrite pending)
        {
            lock (_gate)
            {
                pending.Abandoned = true;
            }

            Complete();
        }

        public Task[] DurablesInFlight()
        {
            lock (_gate)
            {
                return [.. _inFlight.Where(w => w.Durable is not null).Select(w => w.Durable!)];
            }
        }

        /// <summary>Waits for the write's outcome and publishes what is durable; returns the failure, if any.</summary>
        public async ValueTask<Exception?> OutcomeAsync(PipelinedWrite pending)
        {
            Exception? failure = null;
            try
            {
                await pending.Durable!.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            Complete();
            return failure;
        }

        /// <summary>
        /// Publishes, in order, every write at the front whose outcome is known, and retires the pipeline when none is
        /// left. The store completes a context's writes in submission order, so once a write is durable every write
        /// before it has its outcome too.
        /// </summary>
        public void Complete()
        {
            lock (_gate)
            {
                while (_inFlight.TryPeek(out var next))
                {
                    if (next.Abandoned)
                    {
                        _inFlight.Dequeue();
                        continue;
                    }

                    if (next.Durable is not { IsCompleted: true } durable)
                    {
                        break;
                    }

                    _inFlight.Dequeue();
                    if (durable.IsCompletedSuccessfully)
                    {
                        manager.PublishCommitted(next.Write, next.NewState, next.Kind);
                    }
                    else
                    {
                        next.FailedAfterEarlierFailure = _broken;
                        _broken = true;
                    }
                }

                if (_inFlight.Count == 0 && !_retired)
                {
                    _retired = true;
                    manager._pipelines.TryRemove(KeyValuePair.Create(id, this));
                }
            }
        }
    }
}
