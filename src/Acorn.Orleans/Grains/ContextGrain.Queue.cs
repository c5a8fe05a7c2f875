using Orleans.Streams;

namespace Acorn.Orleans.Grains;

/// <remarks>
/// <para>
/// <b>The write queue.</b> Every operation that changes the context (or needs its order: recovery points, the
/// directory clean-up) is queued in arrival order. One loop drains the queue: it takes the queued operations as a
/// batch, plans each on the running state (so consecutive versions, and compare-and-set against the versions planned
/// before it), persists the batch with one storage write, and only then answers each caller, in order, refusals
/// included (a refusal was decided on versions of the batch). Operations that arrive while that write is in flight
/// form the next batch, so a hot context's writes share storage writes instead of waiting one commit each.
/// </para>
/// <para>
/// A batch ends before a recovery point (its own storage write, taken of the committed state with nothing in flight)
/// and after a delete (whose directory clean-up must come before a later create's directory entry).
/// </para>
/// <para>
/// <b>A failed storage write</b> fails the callers of the batch's writes with the storage error (the outcome is
/// unknown: a timeout may hide a commit), answers the batch's refusals and every operation still queued with
/// <see cref="ContextWriteOutcome.NotAttempted"/> (nothing changed: they may be sent again), restores the state and
/// deactivates, so that the next activation reads what storage holds. The provider's ETag still stops a second
/// activation from overwriting a newer write.
/// </para>
/// </remarks>
public sealed partial class ContextGrain
{
    private readonly Queue<GrainOperation> _queue = new();
    private readonly List<GrainOperation> _batch = [];
    private readonly List<ContextChangeEvent> _batchChanges = [];
    private Task _publishing = Task.CompletedTask;
    private bool _draining;

    // A storage write failed: the activation is leaving, and decides nothing more.
    private bool _leaving;

    private Task<T> Enqueue<T>(GrainOperation<T> operation)
    {
        if (_leaving)
        {
            operation.Abort();
            return operation.Task;
        }

        _queue.Enqueue(operation);
        if (!_draining)
        {
            _draining = true;
            _ = DrainAsync();
        }

        return operation.Task;
    }

    private async Task DrainAsync()
    {
        try
        {
            while (_queue.Count > 0 && !_leaving)
            {
                if (_queue.Peek().RunsAlone)
                {
                    await _queue.Dequeue().RunAloneAsync(this);
                }
                else
                {
                    await RunBatchAsync();
                }
            }
        }
        catch (Exception ex)
        {
            // Only a bug gets here (planning and storage failures are caught where they happen): nobody may wait forever.
            LogQueueFailed(logger, this.GetPrimaryKeyString(), ex);
            foreach (var operation in _batch)
            {
                operation.Fail(ex);
            }

            Leave();
        }
        finally
        {
            _batch.Clear();
            _draining = false;
        }
    }

    private async Task RunBatchAsync()
    {
        var state = context.State;
        var saved = (state.Current, state.Changes, state.Incarnation, state.LastVersion);
        var versions = 0;
        while (_queue.TryPeek(out var next) && !next.RunsAlone)
        {
            var operation = _queue.Dequeue();
            _batch.Add(operation);
            try
            {
                await operation.PlanAsync(this, time.GetUtcNow());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A call the plan needed (the directory) failed before the operation changed the running state.
                operation.PlanningFailure = ex;
            }

            versions += operation.Versions;
            if (operation.AnswersAtOnce)
            {
                operation.Complete();
            }

            if (operation.EndsBatch)
            {
                break;
            }
        }

        if (versions > 0)
        {
            try
            {
                await context.WriteStateAsync();
            }
            catch (Exception ex)
            {
                (state.Current, state.Changes, state.Incarnation, state.LastVersion) = saved;
                LogBatchFailed(logger, this.GetPrimaryKeyString(), versions, ex);
                foreach (var operation in _batch)
                {
                    if (operation.Versions > 0)
                    {
                        operation.Fail(ex);
                    }
                    else
                    {
                        operation.Abort();
                    }
                }

                _batch.Clear();
                Leave();
                return;
            }

            ContextGrainMetrics.VersionsPerWrite.Record(versions);
            (_committed, _committedIncarnation) = (state.Current, state.Incarnation);
        }

        // A delete's clean-up (directory, recovery points) comes before its answer, as before batching: a count or a
        // list right after the delete returned does not show the context.
        foreach (var operation in _batch)
        {
            await operation.AfterCommitAsync(this);
        }

        foreach (var operation in _batch)
        {
            operation.AddChanges(_batchChanges);
            operation.Complete();
        }

        _batch.Clear();
        Publish();
    }

    /// <summary>After a failed storage write: nothing more is decided here; whatever is queued may be sent again.</summary>
    private void Leave()
    {
        _leaving = true;
        DeactivateOnIdle();
        while (_queue.TryDequeue(out var operation))
        {
            operation.Abort();
        }
    }

    /// <summary>
    /// Puts the batch's persisted writes on the scope's change stream after their callers were answered, one batch after
    /// the other, so that the stream keeps the context's order without making a write wait for the stream.
    /// </summary>
    private void Publish()
    {
        if (_changes is not { } stream || _batchChanges.Count == 0)
        {
            _batchChanges.Clear();
            return;
        }

        ContextChangeEvent[] changes = [.. _batchChanges];
        _batchChanges.Clear();
        _publishing = PublishAfterAsync(_publishing, stream, changes);
    }

    private async Task PublishAfterAsync(Task previous, IAsyncStream<ContextChangeEvent> stream, ContextChangeEvent[] changes)
    {
        await previous;
        try
        {
            await stream.OnNextBatchAsync(changes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The writes are persisted and acknowledged; the feed is best effort (subscribers see a gap in versions).
            LogPublishFailed(logger, this.GetPrimaryKeyString(), ex);
        }
    }
}
