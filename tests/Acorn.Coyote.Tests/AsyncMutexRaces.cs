using Acorn.Threading;
using Microsoft.Coyote.Specifications;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Coyote.Tests;

/// <summary>Schedule exploration of <see cref="AsyncMutex{T}"/>: exclusion and the races of cancellation and timeout against hand-off.</summary>
public sealed class AsyncMutexRaces
{
    [Fact]
    public void MutualExclusion_NonAtomicIncrements() => Systematic.Run(MutualExclusionBody);

    [Fact]
    public void CancelWhileReleaseHandsOff_NeverLeaksOwnership() => Systematic.Run(CancelRacesHandOffBody);

    [Fact]
    public void TimeoutWhileReleaseHandsOff_NeverLeaksOwnership() => Systematic.Run(TimeoutRacesHandOffBody);

    [Fact]
    public void StaleGuardAfterHandOff_NeverFreesTheNewHolder() => Systematic.Run(StaleGuardAfterHandOffBody);

    internal static async Task MutualExclusionBody()
    {
        var mutex = new AsyncMutex<int>(0);
        var inside = 0;

        async Task Increment()
        {
            for (var i = 0; i < 2; i++)
            {
                using var guard = await mutex.LockAsync();
                Specification.Assert(++inside == 1, "two holders inside the mutex");
                var seen = guard.Value;
                await Task.Yield();
                guard.Value = seen + 1;
                inside--;
            }
        }

        var a = Task.Run(Increment);
        var b = Task.Run(Increment);
        var c = Task.Run(Increment);
        await Task.WhenAll(new[] { a, b, c });

        Specification.Assert(mutex.TryLock(out var final), "mutex still held after all tasks finished");
        using (final)
        {
            Specification.Assert(final.Value == 6, $"lost update: {final.Value}");
        }
    }

    internal static async Task CancelRacesHandOffBody()
    {
        var mutex = new AsyncMutex<int>(0);
        var holder = await mutex.LockAsync();
        using var cts = new CancellationTokenSource();
        var first = Outcomes.TryHoldAsync(mutex.LockAsync(cts.Token));
        var second = Outcomes.TryHoldAsync(mutex.LockAsync());

        var cancel = Task.Run(() => cts.Cancel());
        var release = Task.Run(() => holder.Dispose());
        await Task.WhenAll(new[] { cancel, release });
        var firstGotIt = await first;
        var secondGotIt = await second;

        Specification.Assert(secondGotIt, "the uncancelled waiter never got the mutex");
        Specification.Assert(firstGotIt || cts.IsCancellationRequested, "a waiter failed without being cancelled");
        Specification.Assert(!mutex.IsLocked && mutex.WaitingCount == 0, "ownership or a waiter leaked");
    }

    internal static async Task TimeoutRacesHandOffBody()
    {
        var time = new FakeTimeProvider();
        var mutex = new AsyncMutex<int>(0, null, time);
        var holder = await mutex.LockAsync();
        var first = Outcomes.TryHoldAsync(mutex.LockAsync(TimeSpan.FromSeconds(1)));
        var second = Outcomes.TryHoldAsync(mutex.LockAsync(TimeSpan.FromSeconds(5)));

        var expire = Task.Run(() => time.Advance(TimeSpan.FromSeconds(1)));
        var release = Task.Run(() => holder.Dispose());
        await Task.WhenAll(new[] { expire, release });
        var firstGotIt = await first;
        var secondGotIt = await second;

        Specification.Assert(secondGotIt, "the waiter with time left never got the mutex");
        Specification.Assert(firstGotIt || time.GetUtcNow() >= time.Start.AddSeconds(1), "a waiter timed out early");
        Specification.Assert(!mutex.IsLocked && mutex.WaitingCount == 0, "ownership or a waiter leaked");
    }

    internal static async Task StaleGuardAfterHandOffBody()
    {
        var mutex = new AsyncMutex<int>(0);
        var inside = 0;

        async Task HoldAsync(ValueTask<MutexGuard<int>> pending)
        {
            using var guard = await pending;
            Specification.Assert(++inside == 1, "two holders inside the mutex");
            await Task.Yield();
            inside--;
        }

        // The waiter is queued before the release, so the holder's Dispose hands the mutex over; the copy's Dispose
        // is then stale, whichever of the two runs first, and must not free the mutex under the waiter.
        var holder = await mutex.LockAsync();
        var copy = holder;
        var waiter = HoldAsync(mutex.LockAsync());
        var release = Task.Run(() => holder.Dispose());
        var stale = Task.Run(() => copy.Dispose());
        var latecomer = Task.Run(() => HoldAsync(mutex.LockAsync()));
        await Task.WhenAll(new[] { waiter, release, stale, latecomer });

        Specification.Assert(!mutex.IsLocked && mutex.WaitingCount == 0, "ownership or a waiter leaked");
    }
}
