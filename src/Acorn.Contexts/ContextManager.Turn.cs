using System.Diagnostics;
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
/// refusal nothing explains), the turn reads the context back from the store before it plans anything else, and only
/// then tells the callers of those writes, so that a read after the error shows what the store holds.
/// </para>
/// <para>
/// Lock order: a turn's gate (a short synchronous section: queue links, publication of durable writes in version
/// order), then the gate of the ordered id index or of the expiry index, or the change feed's subscriber buffers. No
/// caller code and no store call runs under the gate.
/// </para>
/// </remarks>
public sealed partial class ContextManager
{
    // How many idle turns stay in the map for their context's next write: adding and removing a turn around every write
    // cost a context written by one caller at a time about a tenth of its update; a bounded number keeps idle contexts
    // costing nothing.
    private const int IdleTurnsKept = 64;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContextTurn> _turns = new(StringComparer.Ordinal);

    // The idle turns kept, as a ring: the one a newly idle turn replaces leaves the map unless it is busy again.
    private readonly ContextTurn?[] _idleTurns = new ContextTurn?[IdleTurnsKept];
    private int _idleTurnCursor;

    /// <summary>How many contexts have a turn: those with writes queued or in flight, and at most 64 idle ones kept for their next write.</summary>
    internal int TurnCount => _turns.Count;

    /// <summary>Lets every idle turn go (tests: after it, only turns with work left remain).</summary>
    internal void RetireIdleTurns()
    {
        for (var i = 0; i < _idleTurns.Length; i++)
        {
            Interlocked.Exchange(ref _idleTurns[i], null)?.Evict();
        }
    }

    /// <summary>Keeps a turn that just went idle for its context's next write, and lets the longest-kept one go.</summary>
    private void Park(ContextTurn turn)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _idleTurnCursor) % IdleTurnsKept);
        Interlocked.Exchange(ref _idleTurns[slot], turn)?.Evict();
    }

    /// <summary>
    /// Makes a write from its arguments, queues it once its context may be written, and returns its outcome. Once the
    /// manager has loaded, the caller awaits the turn's outcome itself: no async frame of the manager's stands between
    /// them, for a caller told by a combiner to resume first (at 64 tasks on one context that frame cost about a fifth of
    /// the throughput).
    /// </summary>
    /// <param name="args">The write's arguments.</param>
    /// <param name="write">Checks the arguments and makes the write; what it throws faults the returned task.</param>
    /// <param name="cancellationToken">Withdraws the write while it waits for its turn.</param>
    private ValueTask<ContextState> QueueWriteAsync<TArgs>(TArgs args, Func<ContextManager, TArgs, TurnOperation> write, CancellationToken cancellationToken)
    {
        TurnOperation operation;
        try
        {
            operation = write(this, args);
            if (!_loaded)
            {
                return QueueWriteWhileLoadingAsync(operation, cancellationToken);
            }

            ThrowIfQuarantined(operation.Id);
        }
        catch (Exception ex)
        {
            // As from an async method: a bad argument or a quarantined context faults the task, it does not throw here.
            return ValueTask.FromException<ContextState>(ex);
        }

        // A write's outcome is its new state, or the state it deleted: never null.
        return TakeTurnAsync(operation, cancellationToken)!;
    }

    private async ValueTask<ContextState> QueueWriteWhileLoadingAsync(TurnOperation operation, CancellationToken cancellationToken)
    {
        await PrepareWriteAsync(operation.Id, cancellationToken).ConfigureAwait(false);
        return (await TakeTurnAsync(operation, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Queues <paramref name="operation"/> for its context's turn and returns its outcome.</summary>
    private ValueTask<ContextState?> TakeTurnAsync(TurnOperation operation, CancellationToken cancellationToken)
    {
        if (ReadModifyWriteOperation.Current is { } running && running.Manager == this && running.Id == operation.Id)
        {
            return ValueTask.FromException<ContextState?>(new InvalidOperationException(
                $"An update function of context '{operation.Id}' wrote to that same context: it would wait for its own turn. An update function must only compute the new content from the state it is given."));
        }

        var outer = TurnOperation.BeginQueueing(operation);
        try
        {
            return Queue(operation, cancellationToken);
        }
        finally
        {
            TurnOperation.EndQueueing(outer);
        }
    }

    /// <summary>Queues <paramref name="operation"/> while this thread is marked as its caller's, and returns its outcome.</summary>
    private ValueTask<ContextState?> Queue(TurnOperation operation, CancellationToken cancellationToken)
    {
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
            if (_turns.TryGetValue(operation.Id, out var turn))
            {
                if (turn.TryEnqueue(operation, out var combine, out var first))
                {
                    if (combine)
                    {
                        _ = turn.CombineAsync(inline: true, first);
                    }

                    return operation.Outcome;
                }

                // It retired after we found it: a fresh one replaces it.
                continue;
            }

            // A context without a turn: the new turn starts with this caller as its combiner, whose first run is this
            // operation (unless it was withdrawn since it was armed); writes queued meanwhile wait for the next run.
            var fresh = new ContextTurn(this, operation.Id);
            if (_turns.TryAdd(operation.Id, fresh))
            {
                _ = fresh.CombineAsync(inline: true, operation.TryTake() ? operation : null);
                return operation.Outcome;
            }
        }
    }
}
