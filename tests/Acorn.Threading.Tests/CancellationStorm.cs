namespace Acorn.Threading.Tests;

/// <summary>
/// Queues thousands of waiters behind a held lock, cancels a random half at random moments while the holder
/// releases, and reports who got the lock in which order.
/// </summary>
internal static class CancellationStorm
{
    public sealed record Result(IReadOnlyList<int> Acquired, bool[] Succeeded, bool[] Cancelled);

    public static async Task<Result> RunAsync<TGuard>(int waiters, int seed, IDisposable holder, Func<CancellationToken, ValueTask<TGuard>> acquire)
        where TGuard : IDisposable
    {
        var sources = Enumerable.Range(0, waiters).Select(_ => new CancellationTokenSource()).ToArray();
        var acquired = new List<int>();
        var tasks = new Task<bool>[waiters];
        for (var i = 0; i < waiters; i++)
        {
            // Called in order on this thread, so arrival order is the index order.
            tasks[i] = HoldOnceAsync(acquire(sources[i].Token), i, acquired);
        }

        var random = new Random(seed);
        var victims = Enumerable.Range(0, waiters).OrderBy(_ => random.Next()).Take(waiters / 2).ToArray();
        var releaseAfter = random.Next(waiters / 2);
        var cancel = Task.Run(() =>
        {
            for (var n = 0; n < victims.Length; n++)
            {
                sources[victims[n]].Cancel();
                if (n % 64 == 0)
                {
                    Thread.Yield();
                }
            }
        });
        var release = Task.Run(async () =>
        {
            // Release somewhere in the middle of the storm, so hand-offs race with cancellations.
            while (sources.Count(s => s.IsCancellationRequested) < releaseAfter)
            {
                await Task.Yield();
            }

            holder.Dispose();
        });
        await Task.WhenAll(cancel, release);
        var succeeded = await Task.WhenAll(tasks);
        var cancelled = sources.Select(s => s.IsCancellationRequested).ToArray();
        foreach (var source in sources)
        {
            source.Dispose();
        }

        return new Result(acquired, succeeded, cancelled);
    }

    /// <summary>Checks the storm's invariants: exactly the successful waiters ran, in arrival order, and nobody uncancelled lost out.</summary>
    public static void AssertFairAndComplete(Result result)
    {
        Assert.Equal(result.Succeeded.Count(s => s), result.Acquired.Count);
        Assert.Equal(result.Acquired.Order(), result.Acquired);
        for (var i = 0; i < result.Succeeded.Length; i++)
        {
            Assert.True(result.Succeeded[i] || result.Cancelled[i], $"waiter {i} neither acquired nor was cancelled");
        }
    }

    private static async Task<bool> HoldOnceAsync<TGuard>(ValueTask<TGuard> pending, int index, List<int> acquired)
        where TGuard : IDisposable
    {
        try
        {
            using (await pending)
            {
                // Unsynchronized on purpose: the lock under test is what makes this safe.
                acquired.Add(index);
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
