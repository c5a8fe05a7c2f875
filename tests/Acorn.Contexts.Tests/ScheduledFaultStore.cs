using System.Collections.Concurrent;
using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>How one write of a <see cref="ScheduledFaultStore"/> fails.</summary>
internal enum StoreFault
{
    /// <summary>It reaches the real store.</summary>
    None,

    /// <summary>Refused when submitted, with a store error that vouches nothing changed.</summary>
    RefusedOnSubmit,

    /// <summary>Accepted, then failed with a store error that vouches nothing changed (a full disk before the commit).</summary>
    Refused,

    /// <summary>Not stored, and reported with an error of unknown outcome (a connection lost before the request went out).</summary>
    LostBeforeCommit,

    /// <summary>Stored, then reported with an error of unknown outcome (a COMMIT or fsync error after the data was written).</summary>
    LostAfterCommit,
}

/// <summary>
/// A pipelining store whose writes fail as a test schedules: each submitted write takes the next fault of the schedule
/// (none once it runs out). Writes are applied to the real store one after another, in submission order, each after a
/// yield, so that the writes of operations started together are in flight at once and queue for their context's turn.
/// </summary>
internal sealed class ScheduledFaultStore(IContextStore inner) : DelegatingContextStore(inner)
{
    private readonly ConcurrentQueue<StoreFault> _schedule = new();
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Replaces the schedule: the next writes fail as <paramref name="faults"/> says, in order.</summary>
    public void Schedule(IEnumerable<StoreFault> faults)
    {
        _schedule.Clear();
        foreach (var fault in faults)
        {
            _schedule.Enqueue(fault);
        }
    }

    public override ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var fault = _schedule.TryDequeue(out var next) ? next : StoreFault.None;
            if (fault == StoreFault.RefusedOnSubmit)
            {
                return ValueTask.FromException<Task>(FaultInjectingStore.DiskFull(write.ContextId));
            }

            _last = ApplyAfterAsync(_last, write, fault);
            return new ValueTask<Task>(_last);
        }
    }

    public override async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        await await SubmitAsync(write, cancellationToken);

    private async Task ApplyAfterAsync(Task previous, ContextWrite write, StoreFault fault)
    {
        await previous.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await Task.Yield();
        switch (fault)
        {
            case StoreFault.Refused:
                throw FaultInjectingStore.DiskFull(write.ContextId);
            case StoreFault.LostBeforeCommit:
                throw new IOException($"injected: connection lost before the write to '{write.ContextId}' was sent");
            case StoreFault.LostAfterCommit:
                await Inner.WriteAsync(write, CancellationToken.None);
                throw new IOException($"injected: the commit holding the write to '{write.ContextId}' failed after storing it");
            default:
                await Inner.WriteAsync(write, CancellationToken.None);
                break;
        }
    }
}
