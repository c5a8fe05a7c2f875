using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

/// <summary>Proves the harness can fail: the race the primitives are tested for is found in a naive lock.</summary>
public sealed class HarnessSelfTests
{
    [Fact]
    public void NaiveLock_LostHandOffToACancelledWaiter_IsFound()
    {
        var outcome = Systematic.Explore(LostHandOffBody);

        // Depending on the schedule found first, the lost hand-off shows as the failed assertion or as a hang
        // (the naive lock also disposes its registration while the cancel callback may still run).
        Assert.True(outcome.FoundBug, "Coyote did not find the lost hand-off of NaiveAsyncLock:" + Environment.NewLine + outcome.Text);
        Assert.True(
            outcome.Text.Contains("never got the lock", StringComparison.Ordinal) || outcome.Text.Contains("deadlock", StringComparison.Ordinal),
            outcome.Text);
    }

    private static async Task LostHandOffBody()
    {
        var naive = new NaiveAsyncLock();
        var holder = await naive.LockAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var first = HoldAsync(naive.LockAsync(cts.Token));
        var second = HoldAsync(naive.LockAsync(CancellationToken.None));

        var cancel = Task.Run(() => cts.Cancel());
        var release = Task.Run(() => holder.Dispose());
        await Task.WhenAll(new[] { cancel, release });
        await first;

        // Give the hand-off every chance; a correct lock completes the second waiter here.
        for (var i = 0; i < 10 && !second.IsCompleted; i++)
        {
            await Task.Yield();
        }

        Specification.Assert(second.IsCompleted, "the uncancelled waiter never got the lock");
        await second;
    }

    private static async Task HoldAsync(Task<IDisposable> pending)
    {
        try
        {
            (await pending).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Cancelled waiters are expected.
        }
    }
}
