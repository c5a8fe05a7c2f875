using Microsoft.Extensions.Time.Testing;

namespace Acorn.Threading.Tests;

public sealed class AsyncMutexTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SixtyFourTasks_NonAtomicIncrementsAcrossAwait_LoseNothing()
    {
        const int Tasks = 64, Iterations = 1_000;
        var mutex = new AsyncMutex<int>(0);
        var start = new StartGate(Tasks);

        var workers = Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            await start.ArriveAndWaitAsync();
            for (var i = 0; i < Iterations; i++)
            {
                using var guard = await mutex.LockAsync(Token);
                var seen = guard.Value;
                if (i % 8 == 0)
                {
                    await Task.Yield();
                }

                guard.Value = seen + 1;
            }
        }, Token)).ToArray();
        await Task.WhenAll(workers);

        Assert.True(mutex.TryLock(out var final));
        using (final)
        {
            Assert.Equal(Tasks * Iterations, final.Value);
        }
    }

    [Fact]
    public async Task Uncontended_CompletesSynchronously_AndTryLockFailsWhileHeld()
    {
        var mutex = new AsyncMutex<string>("v");

        var pending = mutex.LockAsync(Token).AsTask();

        Assert.True(pending.IsCompletedSuccessfully);
        using (var guard = await pending)
        {
            Assert.True(mutex.IsLocked);
            Assert.False(mutex.TryLock(out var second));
            Assert.False(second.IsHeld);
        }

        Assert.False(mutex.IsLocked);
        Assert.True(mutex.TryLock(out var third));
        third.Dispose();
    }

    [Fact]
    public async Task Waiters_AreServedInArrivalOrder_AndTryLockCannotBargeIn()
    {
        const int Waiters = 500;
        var mutex = new AsyncMutex<List<int>>([]);
        var holder = await mutex.LockAsync(Token);
        var firstMayLeave = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiters = Enumerable.Range(0, Waiters).Select(async i =>
        {
            using var guard = await mutex.LockAsync(Token);
            guard.Value.Add(i);
            if (i == 0)
            {
                await firstMayLeave.Task;
            }
        }).ToArray();

        holder.Dispose();
        // The release handed the mutex to waiter 0 directly, so it is not free for a newcomer.
        Assert.False(mutex.TryLock(out _));
        firstMayLeave.SetResult();
        await Task.WhenAll(waiters);

        Assert.True(mutex.TryLock(out var check));
        using (check)
        {
            Assert.Equal(Enumerable.Range(0, Waiters), check.Value);
        }
    }

    [Fact]
    public async Task Value_IsTheOwnedValue_AndChangesThroughTheGuardPersist()
    {
        var mutex = new AsyncMutex<(int A, int B)>((1, 2));
        using (var guard = await mutex.LockAsync(Token))
        {
            guard.Value.B = 20;
        }

        using var again = await mutex.LockAsync(Token);
        Assert.Equal((1, 20), again.Value);
    }

    [Fact]
    public async Task Timeout_ThrowsTimeoutException_AndLeavesTheQueue()
    {
        var time = new FakeTimeProvider();
        var mutex = new AsyncMutex<int>(0, "timeout", time);
        var holder = await mutex.LockAsync(Token);

        var waiter = mutex.LockAsync(TimeSpan.FromSeconds(2), Token).AsTask();
        Assert.Equal(1, mutex.WaitingCount);
        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<TimeoutException>(() => waiter);
        Assert.Equal(0, mutex.WaitingCount);
        Assert.True(holder.IsHeld);
        holder.Dispose();
        Assert.False(mutex.IsLocked);
    }

    [Fact]
    public async Task ZeroTimeout_OnlyTakesAFreeMutex()
    {
        var mutex = new AsyncMutex<int>(0);
        using (var free = await mutex.LockAsync(TimeSpan.Zero, Token))
        {
            await Assert.ThrowsAsync<TimeoutException>(async () => await mutex.LockAsync(TimeSpan.Zero, Token));
            Assert.Null(await mutex.TryLockAsync(TimeSpan.Zero, Token));
            Assert.Equal(0, mutex.WaitingCount);
        }
    }

    [Fact]
    public async Task TryLockAsync_ReturnsNoGuardOnTimeout_AndAGuardOnHandOff()
    {
        var time = new FakeTimeProvider();
        var mutex = new AsyncMutex<int>(0, null, time);
        var holder = await mutex.LockAsync(Token);

        var timesOut = mutex.TryLockAsync(TimeSpan.FromSeconds(1), Token).AsTask();
        var getsIt = mutex.TryLockAsync(TimeSpan.FromSeconds(10), Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await timesOut);
        holder.Dispose();

        var guard = await getsIt;
        Assert.NotNull(guard);
        Assert.True(guard.Value.IsHeld);
        guard.Value.Dispose();
    }

    [Fact]
    public async Task TimerOfAnEarlierWait_NeverTimesOutALaterWaitOfTheSameMutex()
    {
        var time = new FakeTimeProvider();
        var mutex = new AsyncMutex<int>(0, null, time);
        var holder = await mutex.LockAsync(Token);
        var timed = mutex.LockAsync(TimeSpan.FromSeconds(5), Token).AsTask();
        holder.Dispose();
        (await timed).Dispose();

        // The pooled node is reused by the next wait; the earlier timer must not fire into it.
        holder = await mutex.LockAsync(Token);
        var untimed = mutex.LockAsync(Token).AsTask();
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(untimed.IsCompleted);
        holder.Dispose();
        (await untimed).Dispose();
    }

    [Fact]
    public async Task CancelledWaiter_IsSkipped_AndTheNextWaiterGetsTheMutex()
    {
        var mutex = new AsyncMutex<int>(0);
        var holder = await mutex.LockAsync(Token);
        using var cts = new CancellationTokenSource();
        var cancelled = mutex.LockAsync(cts.Token).AsTask();
        var next = mutex.LockAsync(Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, mutex.WaitingCount);
        holder.Dispose();

        using var guard = await next;
        Assert.True(guard.IsHeld);
    }

    [Fact]
    public async Task AlreadyCancelledToken_CompletesCancelledWithoutQueueing()
    {
        var mutex = new AsyncMutex<int>(0);
        using var holder = await mutex.LockAsync(Token);

        var cancelled = mutex.LockAsync(new CancellationToken(canceled: true)).AsTask();
        var cancelledTry = mutex.TryLockAsync(Timeout.InfiniteTimeSpan, new CancellationToken(canceled: true)).AsTask();

        Assert.True(cancelled.IsCanceled);
        Assert.True(cancelledTry.IsCanceled);
        Assert.Equal(0, mutex.WaitingCount);
    }

    [Fact]
    public async Task CancellationStorm_SurvivorsKeepFifoOrder_AndTheMutexStaysUsable()
    {
        var mutex = new AsyncMutex<int>(0);
        var holder = await mutex.LockAsync(Token);

        var result = await CancellationStorm.RunAsync(10_000, seed: 7, holder, token => mutex.LockAsync(token));

        CancellationStorm.AssertFairAndComplete(result);
        Assert.Equal(0, mutex.WaitingCount);
        Assert.False(mutex.IsLocked);
        Assert.True(mutex.TryLock(out var after));
        after.Dispose();
    }

    [Fact]
    public async Task DisposeTwice_ReleasesOnce_EvenFromACopy()
    {
        var mutex = new AsyncMutex<int>(0);
        var first = await mutex.LockAsync(Token);
        var copy = first;
        first.Dispose();
        using var second = await mutex.LockAsync(Token);

        first.Dispose();
        copy.Dispose();

        Assert.True(second.IsHeld);
        Assert.True(mutex.IsLocked);
    }

    [Fact]
    public async Task HandOffToAQueuedWaiter_RetiresTheOldGuard_EvenACopyOfIt()
    {
        var mutex = new AsyncMutex<int>(0);
        var first = await mutex.LockAsync(Token);
        var copy = first;
        var waiting = mutex.LockAsync(Token).AsTask();
        Assert.False(waiting.IsCompleted);

        first.Dispose();
        using var second = await waiting;

        Assert.False(first.IsHeld, "the released guard still reports IsHeld after the hand-off");
        Assert.False(copy.IsHeld, "a copy of the released guard still reports IsHeld after the hand-off");
        first.Dispose();
        copy.Dispose();
        Assert.True(second.IsHeld);
        Assert.True(mutex.IsLocked);
        Assert.False(mutex.TryLock(out var third), "a stale guard's Dispose freed the mutex under the new holder");
        third.Dispose();
    }

    [Fact]
    public async Task UseAfterDispose_Throws_AndADefaultGuardIsMisuse()
    {
        var mutex = new AsyncMutex<int>(0);
        var guard = await mutex.LockAsync(Token);
        guard.Dispose();

        Assert.Throws<ObjectDisposedException>(() => guard.Value);
        Assert.Throws<SynchronizationLockException>(() => default(MutexGuard<int>).Value);
        default(MutexGuard<int>).Dispose();
    }

    [Fact]
    public async Task NegativeTimeout_IsRejected_InfiniteIsAllowed()
    {
        var mutex = new AsyncMutex<int>(0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await mutex.LockAsync(TimeSpan.FromMilliseconds(-5), Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await mutex.TryLockAsync(TimeSpan.FromDays(60), Token));
        using var guard = await mutex.LockAsync(Timeout.InfiniteTimeSpan, Token);
        Assert.True(guard.IsHeld);
    }
}
