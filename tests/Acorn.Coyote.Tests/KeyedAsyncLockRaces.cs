using Acorn.Threading;
using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

/// <summary>Schedule exploration of <see cref="KeyedAsyncLock{TKey}"/>: per-key exclusion, entry removal, and cancellation against hand-off.</summary>
public sealed class KeyedAsyncLockRaces
{
    [Fact]
    public void SameKeyExcludes_OtherKeyDoesNot_EntriesRemoved() => Systematic.Run(ExclusionBody);

    [Fact]
    public void CancelWhileReleaseHandsOff_NeverLeaksOwnershipOrEntries() => Systematic.Run(CancelRacesHandOffBody);

    [Fact]
    public void StaleGuardAfterHandOff_NeverFreesTheNewHolder() => Systematic.Run(StaleGuardAfterHandOffBody);

    private static async Task ExclusionBody()
    {
        var locks = new KeyedAsyncLock<string>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        var inside = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };

        async Task Increment(string key)
        {
            using var guard = await locks.LockAsync(key);
            Specification.Assert(++inside[key] == 1, $"two holders of {key}");
            var seen = counters[key];
            await Task.Yield();
            counters[key] = seen + 1;
            inside[key]--;
        }

        var tasks = new[] { Task.Run(() => Increment("a")), Task.Run(() => Increment("b")), Task.Run(() => Increment("a")) };
        await Task.WhenAll(tasks);

        Specification.Assert(counters["a"] == 2 && counters["b"] == 1, "lost update");
        Specification.Assert(locks.Count == 0, $"{locks.Count} entries leaked");
    }

    private static async Task CancelRacesHandOffBody()
    {
        var locks = new KeyedAsyncLock<int>();
        var holder = await locks.LockAsync(1);
        using var cts = new CancellationTokenSource();
        var first = Outcomes.TryHoldAsync(locks.LockAsync(1, cts.Token));
        var second = Outcomes.TryHoldAsync(locks.LockAsync(1));

        var cancel = Task.Run(() => cts.Cancel());
        var release = Task.Run(() => holder.Dispose());
        await Task.WhenAll(new[] { cancel, release });
        var firstGotIt = await first;
        var secondGotIt = await second;

        Specification.Assert(secondGotIt, "the uncancelled waiter never got the key");
        Specification.Assert(firstGotIt || cts.IsCancellationRequested, "a waiter failed without being cancelled");
        Specification.Assert(locks.Count == 0, $"{locks.Count} entries leaked");
    }

    private static async Task StaleGuardAfterHandOffBody()
    {
        var locks = new KeyedAsyncLock<int>();
        var inside = 0;

        async Task HoldAsync(ValueTask<KeyedLockGuard<int>> pending)
        {
            using var guard = await pending;
            Specification.Assert(++inside == 1, "two holders of one key");
            await Task.Yield();
            inside--;
        }

        // As in AsyncMutexRaces: the waiter is queued first, so one of the two Dispose calls is stale after the hand-off.
        var holder = await locks.LockAsync(1);
        var copy = holder;
        var waiter = HoldAsync(locks.LockAsync(1));
        var release = Task.Run(() => holder.Dispose());
        var stale = Task.Run(() => copy.Dispose());
        var latecomer = Task.Run(() => HoldAsync(locks.LockAsync(1)));
        await Task.WhenAll(new[] { waiter, release, stale, latecomer });

        Specification.Assert(locks.Count == 0, $"{locks.Count} entries leaked");
    }
}
