using Microsoft.Extensions.Time.Testing;

namespace Acorn.Threading.Tests;

public sealed class KeyedAsyncLockTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameKey_64Tasks_NonAtomicCountersStayExact()
    {
        const int Tasks = 64, Iterations = 500, Keys = 4;
        var locks = new KeyedAsyncLock<int>();
        var counters = new int[Keys];
        var start = new StartGate(Tasks);

        var workers = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            await start.ArriveAndWaitAsync();
            for (var i = 0; i < Iterations; i++)
            {
                var key = (t + i) % Keys;
                using (await locks.LockAsync(key, Token))
                {
                    var seen = counters[key];
                    await Task.Yield();
                    counters[key] = seen + 1;
                }
            }
        }, Token)).ToArray();
        await Task.WhenAll(workers);

        Assert.All(counters, c => Assert.Equal(Tasks * Iterations / Keys, c));
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task DifferentKeys_DoNotWaitForEachOther()
    {
        var locks = new KeyedAsyncLock<string>(StringComparer.Ordinal);
        using var a = await locks.LockAsync("a", Token);

        var b = locks.LockAsync("b", Token).AsTask();

        Assert.True(b.IsCompletedSuccessfully);
        using var guardB = await b;
        Assert.Equal("b", guardB.Key);
        Assert.Equal(2, locks.Count);
    }

    [Fact]
    public async Task Comparer_DecidesWhichKeysAreEqual()
    {
        var locks = new KeyedAsyncLock<string>(StringComparer.OrdinalIgnoreCase);
        using var lower = await locks.LockAsync("key", Token);

        Assert.False(locks.TryLock("KEY", out _));
        Assert.Equal(1, locks.Count);
    }

    [Fact]
    public async Task Waiters_AreServedInArrivalOrder()
    {
        const int Waiters = 200;
        var locks = new KeyedAsyncLock<int>();
        var order = new List<int>();
        var holder = await locks.LockAsync(7, Token);

        var waiters = Enumerable.Range(0, Waiters).Select(async i =>
        {
            using (await locks.LockAsync(7, Token))
            {
                order.Add(i);
            }
        }).ToArray();
        holder.Dispose();
        await Task.WhenAll(waiters);

        Assert.Equal(Enumerable.Range(0, Waiters), order);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public void MillionDistinctKeys_LeaveNoEntries()
    {
        var locks = new KeyedAsyncLock<long>();
        var peak = 0;
        for (long key = 0; key < 1_000_000; key++)
        {
            Assert.True(locks.TryLock(key, out var guard));
            using (guard)
            {
                peak = Math.Max(peak, locks.Count);
            }
        }

        Assert.Equal(1, peak);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task MillionDistinctKeys_HeldTogetherWithWaiters_LeaveNoEntries()
    {
        const int Batch = 10_000;
        var locks = new KeyedAsyncLock<int>();
        var guards = new KeyedLockGuard<int>[Batch];
        var waiters = new Task<KeyedLockGuard<int>>[Batch];
        for (var start = 0; start < 1_000_000; start += Batch)
        {
            for (var i = 0; i < Batch; i++)
            {
                guards[i] = await locks.LockAsync(start + i, Token);
                waiters[i] = locks.LockAsync(start + i, Token).AsTask();
            }

            Assert.Equal(Batch, locks.Count);
            for (var i = 0; i < Batch; i++)
            {
                guards[i].Dispose();
                (await waiters[i]).Dispose();
            }

            Assert.Equal(0, locks.Count);
        }
    }

    [Fact]
    public async Task Timeout_ThrowsAndLeavesOnlyTheHolder()
    {
        var time = new FakeTimeProvider();
        var locks = new KeyedAsyncLock<string>(null, "timeout-test", time);
        using var holder = await locks.LockAsync("k", Token);

        var waiter = locks.LockAsync("k", TimeSpan.FromSeconds(5), Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiter.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => waiter);
        Assert.Equal(1, locks.Count);
        Assert.True(holder.IsHeld);
    }

    [Fact]
    public async Task TryLockAsync_ReturnsNoGuardOnTimeout_AndAGuardWhenFree()
    {
        var time = new FakeTimeProvider();
        var locks = new KeyedAsyncLock<string>(null, null, time);
        var holder = await locks.LockAsync("k", Token);

        var timedOut = locks.TryLockAsync("k", TimeSpan.FromSeconds(1), Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await timedOut);
        Assert.Null(await locks.TryLockAsync("k", TimeSpan.Zero, Token));

        holder.Dispose();
        var acquired = await locks.TryLockAsync("k", TimeSpan.Zero, Token);
        Assert.NotNull(acquired);
        acquired.Value.Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task AlreadyCancelledToken_CompletesCancelledWithoutQueueing()
    {
        var locks = new KeyedAsyncLock<string>();
        using var holder = await locks.LockAsync("k", Token);

        var cancelled = locks.LockAsync("k", new CancellationToken(canceled: true)).AsTask();
        var free = locks.LockAsync("free", new CancellationToken(canceled: true)).AsTask();

        Assert.True(cancelled.IsCanceled);
        Assert.True(free.IsCanceled);
        Assert.Equal(1, locks.Count);
    }

    [Fact]
    public async Task CancellationStorm_SurvivorsKeepFifoOrder_AndTheKeyStaysUsable()
    {
        var locks = new KeyedAsyncLock<int>();
        var holder = await locks.LockAsync(1, Token);

        var result = await CancellationStorm.RunAsync(10_000, seed: 42, holder, token => locks.LockAsync(1, token));

        CancellationStorm.AssertFairAndComplete(result);
        Assert.Equal(0, locks.Count);
        Assert.True(locks.TryLock(1, out var after));
        after.Dispose();
    }

    [Fact]
    public async Task DisposeTwice_ReleasesOnce()
    {
        var locks = new KeyedAsyncLock<string>();
        var first = await locks.LockAsync("k", Token);
        first.Dispose();
        using var second = await locks.LockAsync("k", Token);

        first.Dispose();

        Assert.True(second.IsHeld);
        Assert.False(locks.TryLock("k", out _));
    }

    [Fact]
    public async Task HandOffToAQueuedWaiter_RetiresTheOldGuard_EvenACopyOfIt()
    {
        var locks = new KeyedAsyncLock<string>();
        var first = await locks.LockAsync("k", Token);
        var copy = first;
        var waiting = locks.LockAsync("k", Token).AsTask();
        Assert.False(waiting.IsCompleted);

        first.Dispose();
        using var second = await waiting;

        Assert.False(first.IsHeld, "the released guard still reports IsHeld after the hand-off");
        Assert.False(copy.IsHeld, "a copy of the released guard still reports IsHeld after the hand-off");
        first.Dispose();
        copy.Dispose();
        Assert.True(second.IsHeld);
        Assert.Equal(1, locks.Count);
        Assert.False(locks.TryLock("k", out var third), "a stale guard's Dispose freed the key under the new holder");
        third.Dispose();
    }

    [Fact]
    public async Task UseAfterDispose_Throws()
    {
        var locks = new KeyedAsyncLock<string>();
        var guard = await locks.LockAsync("k", Token);
        guard.Dispose();

        Assert.Throws<ObjectDisposedException>(() => guard.Key);
        Assert.Throws<SynchronizationLockException>(() => default(KeyedLockGuard<string>).Key);
        Assert.False(guard.IsHeld);
    }

    [Fact]
    public async Task BadArguments_AreRejected()
    {
        var locks = new KeyedAsyncLock<string>();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await locks.LockAsync(null!, Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await locks.LockAsync("k", TimeSpan.FromSeconds(-2), Token));
        using var infinite = await locks.LockAsync("k", Timeout.InfiniteTimeSpan, Token);
        Assert.True(infinite.IsHeld);
    }
}
