using System.Collections.Concurrent;
using Acorn.Orleans.Grains;

namespace Acorn.Orleans.Tests.Cluster.Faults;

/// <summary>
/// Counts the write calls each context grain has taken into its queue, so a test can wait until the calls it sent are
/// queued behind a held storage write (and so form the next batch) instead of sleeping.
/// </summary>
/// <remarks>
/// A context grain's write method only queues its operation and returns the pending answer, so once
/// <see cref="IIncomingGrainCallContext.Invoke"/> has returned its task, the operation is in the queue.
/// </remarks>
public sealed class ContextCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, int Count), TaskCompletionSource> _waiters = new();

    /// <summary>Completes when <paramref name="grainKey"/>'s grain has queued <paramref name="count"/> write calls in all (from the first).</summary>
    public Task QueuedAsync(string grainKey, int count)
    {
        var waiter = _waiters.GetOrAdd((grainKey, count), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_queued.GetValueOrDefault(grainKey) >= count)
        {
            waiter.TrySetResult();
        }

        return waiter.Task;
    }

    /// <inheritdoc/>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not ContextGrain || context.InterfaceMethod.Name is "GetAsync" or "ListRecoveryPointsAsync")
        {
            await context.Invoke();
            return;
        }

        var call = context.Invoke();
        var key = context.TargetId.Key.ToString()!;
        var queued = _queued.AddOrUpdate(key, 1, (_, n) => n + 1);
        foreach (var ((waitedKey, count), waiter) in _waiters)
        {
            if (waitedKey == key && queued >= count)
            {
                waiter.TrySetResult();
            }
        }

        await call;
    }
}
