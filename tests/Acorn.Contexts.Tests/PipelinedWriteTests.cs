using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// Writes to one context are pipelined: planned and submitted while earlier ones still commit. These tests hold the
/// commits of a <see cref="ManualCommitStore"/> to check what may and may not be seen meanwhile. Operations are started
/// from the test's own thread: each runs synchronously up to its first real wait, so the order they reach the store in
/// is the order they are started in.
/// </summary>
public sealed class PipelinedWriteTests : InMemoryContextTestBase
{
    private readonly ManualCommitStore _store = new();

    [Fact]
    public async Task WritesToOneContext_AreSubmittedBeforeEarlierOnesCommit_AndBecomeVisibleOnlyWhenDurable()
    {
        var manager = await CreatedAsync(Counter(0));
        using var changes = manager.Subscribe("x");

        var increments = Enumerable.Range(0, 10).Select(_ => manager.UpdateAsync("x", Increment, Ct).AsTask()).ToList();

        Assert.Equal(10, _store.Waiting);
        Assert.Equal(Enumerable.Range(2, 10).Select(v => (long)v), Versions(_store.Submitted.Skip(1)));
        Assert.All(increments, t => Assert.False(t.IsCompleted, "a caller returned before its write was durable"));
        Assert.Equal(1, (await manager.GetAsync("x", Ct)).Version);
        Assert.False(changes.TryRead(out _), "a write in flight was published");

        _store.Commit(4);
        await Task.WhenAll(increments.Take(4));
        Assert.Equal((5L, 4L), VersionAndCounter(await manager.GetAsync("x", Ct)));

        _store.Commit();
        var written = await Task.WhenAll(increments);
        Assert.Equal(Enumerable.Range(2, 10).Select(v => (long)v), written.Select(s => s.Version));
        Assert.Equal((11L, 10L), VersionAndCounter(await manager.GetAsync("x", Ct)));
        Assert.Equal(Enumerable.Range(2, 10).Select(v => (long)v), Drain(changes).Select(c => c.Version));
    }

    [Fact]
    public async Task AFailedWriteInFlight_FailsOnlyItsCaller_AndTheWritesChainedOnItAreRedone()
    {
        var manager = await CreatedAsync(Counter(0));
        using var changes = manager.Subscribe("x");

        var replace = manager.UpdateAsync("x", Counter(100), cancellationToken: Ct).AsTask();
        var first = manager.UpdateAsync("x", Increment, Ct).AsTask();
        var second = manager.UpdateAsync("x", Increment, Ct).AsTask();
        Assert.Equal(3, _store.Waiting);

        _store.Fail(1, FaultInjectingStore.DiskFull("x"));
        var failure = await Assert.ThrowsAsync<ContextStoreException>(() => replace);
        Assert.IsType<IOException>(failure.InnerException);

        // The increments were planned on version 2, which never came to be: the store refuses them, and they are
        // planned again on the committed state.
        _store.Commit(2);
        await _store.SubmittedAsync(6);
        _store.Commit();
        var written = await Task.WhenAll(first, second);

        Assert.Equal([2L, 3L], written.Select(s => s.Version).Order());
        Assert.Equal((3L, 2L), VersionAndCounter(await manager.GetAsync("x", Ct)));
        Assert.Equal([(2L, 1L), (3L, 2L)], Drain(changes).Select(c => VersionAndCounter(c.State!)));
    }

    [Fact]
    public async Task AReadModifyWritePlannedOnAFailedV2_RunsAgainOnTheV2ThatCommitted_AndTheFailedContentNeverAppears()
    {
        var manager = await CreatedAsync(Counter(0));
        using var changes = manager.Subscribe("x");
        var seen = new List<(long Version, long Counter)>();

        // v2 {100} goes in flight; a compare-and-set at version 1 is refused on it (pending: v2 may fail), and the
        // read-modify-write computes v3 from it.
        var failing = manager.UpdateAsync("x", Counter(100), cancellationToken: Ct).AsTask();
        var other = manager.UpdateAsync("x", Counter(7), expectedVersion: 1, Ct).AsTask();
        var increment = manager.UpdateAsync("x", state =>
        {
            seen.Add(VersionAndCounter(state));
            return Increment(state);
        }, Ct).AsTask();
        Assert.Equal([(2L, 100L)], seen);
        Assert.Equal(2, _store.Waiting);

        // v2 {100} fails: the compare-and-set now succeeds as another v2 {7}, and the function must run again on it.
        _store.Fail(1, FaultInjectingStore.DiskFull("x"));
        await Assert.ThrowsAsync<ContextStoreException>(() => failing);
        await CommitUntilSettledAsync(other, increment);

        Assert.Equal((2L, 7L), VersionAndCounter(await other));
        Assert.Equal((3L, 8L), VersionAndCounter(await increment));
        Assert.Equal([(2L, 100L), (2L, 7L)], seen);
        Assert.Equal([(2L, 7L), (3L, 8L)], Drain(changes).Select(c => VersionAndCounter(c.State!)));
        Assert.Equal((3L, 8L), VersionAndCounter(await manager.GetAsync("x", Ct)));
        Assert.Equal([0L, 7L, 8L], _store.Committed.OfType<PutContextWrite>().Select(w => CounterOf(w.State)));
    }

    [Fact]
    public async Task AConflictIsNotDecidedOnAWriteInFlight_WhichMayStillFail()
    {
        var manager = await CreatedAsync(Counter(0));
        var inFlight = manager.UpdateAsync("x", Counter(1), cancellationToken: Ct).AsTask();
        var conditional = manager.UpdateAsync("x", Counter(7), expectedVersion: 1, Ct).AsTask();
        Assert.False(conditional.IsCompleted, "the compare-and-set was decided while a write was in flight");

        _store.Fail(1, FaultInjectingStore.DiskFull("x"));
        await Assert.ThrowsAsync<ContextStoreException>(() => inFlight);
        await _store.SubmittedAsync(3);
        _store.Commit();

        Assert.Equal((2L, 7L), VersionAndCounter(await conditional));
    }

    [Fact]
    public async Task AConflictWithAWriteInFlight_IsReportedOnceThatWriteIsDurable()
    {
        var manager = await CreatedAsync(Counter(0));
        var inFlight = manager.UpdateAsync("x", Counter(1), cancellationToken: Ct).AsTask();
        var conditional = manager.UpdateAsync("x", Counter(7), expectedVersion: 1, Ct).AsTask();

        _store.Commit();
        await inFlight;
        var conflict = await Assert.ThrowsAsync<ContextVersionConflictException>(() => conditional);

        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Equal(2, _store.Submitted.Count);
    }

    [Fact]
    public async Task ADeleteACreateAndAnUpdate_OfOneContext_ArePipelinedInThatOrder()
    {
        var manager = await CreatedAsync(Counter(0));
        var delete = manager.DeleteAsync("x", cancellationToken: Ct).AsTask();
        var create = manager.CreateAsync("x", Counter(5), Ct).AsTask();
        var update = manager.UpdateAsync("x", Increment, Ct).AsTask();
        Assert.Equal(3, _store.Waiting);

        _store.Commit();

        // The context created again starts above the deleted one's version: a version never names two states.
        Assert.Equal((1L, 0L), VersionAndCounter(await delete));
        Assert.Equal((2L, 5L), VersionAndCounter(await create));
        Assert.Equal((3L, 6L), VersionAndCounter(await update));
        Assert.Equal((3L, 6L), VersionAndCounter(await manager.GetAsync("x", Ct)));
        Assert.Equal(1, manager.Count);
    }

    [Fact]
    public async Task AnUpdateRacingADeleteInFlight_FindsNothing_OnceTheDeleteIsDurable()
    {
        var manager = await CreatedAsync(Counter(0));
        var delete = manager.DeleteAsync("x", cancellationToken: Ct).AsTask();
        var update = manager.UpdateAsync("x", Increment, Ct).AsTask();
        Assert.False(update.IsCompleted, "the update was refused while the delete could still fail");

        _store.Commit();
        await delete;
        await Assert.ThrowsAsync<ContextNotFoundException>(() => update);
        Assert.Equal(0, manager.Count);
    }

    [Fact]
    public async Task AFailedCreateInFlight_ReleasesItsSlot_AndAnUpdateChainedOnItFindsNothing()
    {
        var manager = new ContextManager(_store, new ContextOptions { MaxContexts = 1 }, Time);
        await manager.InitializeAsync(Ct);
        var create = manager.CreateAsync("x", Counter(0), Ct).AsTask();
        var update = manager.UpdateAsync("x", Increment, Ct).AsTask();

        _store.Fail(1, FaultInjectingStore.DiskFull("x"));
        await Assert.ThrowsAsync<ContextStoreException>(() => create);
        _store.Commit();
        await Assert.ThrowsAsync<ContextNotFoundException>(() => update);

        var retry = manager.CreateAsync("y", Counter(1), Ct).AsTask();
        _store.Commit();
        Assert.Equal(1, (await retry).Version);
        Assert.Equal(1, manager.Count);
    }

    [Fact]
    public async Task NoPipelineStaysBehind_AfterWritesSettle_OrAreRefused()
    {
        var manager = await CreatedAsync(Counter(0));
        var writes = Enumerable.Range(0, 5).Select(_ => manager.UpdateAsync("x", Increment, Ct).AsTask()).ToList();
        Assert.Equal(1, manager.TurnCount);

        _store.Commit();
        await Task.WhenAll(writes);
        for (var i = 0; i < 100; i++)
        {
            await Assert.ThrowsAsync<ContextNotFoundException>(() => manager.UpdateAsync($"missing-{i}", Increment, Ct).AsTask());
            await Assert.ThrowsAsync<ContextAlreadyExistsException>(() => manager.CreateAsync("x", Counter(0), Ct).AsTask());
            await Assert.ThrowsAsync<ContextVersionConflictException>(() => manager.DeleteAsync("x", expectedVersion: 1, Ct).AsTask());
        }

        // Idle turns are kept for their next write, but only idle ones: once let go, none is left.
        Assert.InRange(manager.TurnCount, 1, 64);
        manager.RetireIdleTurns();
        Assert.Equal(0, manager.TurnCount);
    }

    [Fact]
    public async Task ARecoveryPointAskedWhileWritesAreInFlight_CapturesWhatTheyCommit_AndTheWriteAfterItWaits()
    {
        var manager = await CreatedAsync(Counter(0));

        // Each increment finds the turn idle and is submitted at once; the recovery point must not be.
        var increments = Enumerable.Range(0, 3).Select(_ => manager.UpdateAsync("x", Increment, Ct).AsTask()).ToList();
        var point = manager.CreateRecoveryPointAsync("x", Ct).AsTask();
        var after = manager.UpdateAsync("x", Increment, Ct).AsTask();
        Assert.Equal(3, _store.Waiting);
        Assert.False(point.IsCompleted, "a recovery point was taken while writes were in flight");

        await CommitUntilSettledAsync([.. increments, point, after]);

        Assert.Equal((4L, 3L), VersionAndCounter((await point).State));
        Assert.Equal((5L, 4L), VersionAndCounter(await after));
        Assert.Equal(
            ["v2", "v3", "v4", "point", "v5"],
            _store.Submitted.Skip(1).Select(w => w is PutContextWrite put ? $"v{put.State.Version}" : w is AddRecoveryPointWrite ? "point" : w.GetType().Name));
    }

    [Fact]
    public async Task AWriteWhoseOutcomeIsUnknown_IsReportedOnceTheContextIsReadBack_SoAReadAfterItShowsTheStore()
    {
        var manager = await CreatedAsync(Counter(0));

        // The store keeps the write and reports an error: the manager reads the context back before it tells the caller.
        var update = await UnknownOutcomeAtReadBackAsync(manager);
        Assert.False(update.IsCompleted, "the caller heard 'outcome unknown' before the context was read back");
        Assert.Equal(1, (await manager.GetAsync("x", Ct)).Version);

        _store.ReadGate!.SetResult();
        await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(() => update);
        Assert.Equal((2L, 1L), VersionAndCounter(await manager.GetAsync("x", Ct)));
    }

    [Fact]
    public async Task AWriteWhoseOutcomeIsUnknown_IsReportedEvenIfTheReadBackFails_AndTheNextWriteReadsAgain()
    {
        var manager = await CreatedAsync(Counter(0));
        var update = await UnknownOutcomeAtReadBackAsync(manager);

        _store.ReadGate!.SetException(new IOException("injected: the store cannot be read"));
        await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(() => update);

        // The next write reads the context back first, and is planned on the version the store holds.
        _store.ReadGate = null;
        var next = manager.UpdateAsync("x", Increment, Ct).AsTask();
        await CommitUntilSettledAsync(next);
        Assert.Equal((3L, 2L), VersionAndCounter(await next));
    }

    [Fact]
    public async Task ACallersContinuation_NeverHoldsUpTheCallersCommittedWithIt()
    {
        var manager = await CreatedAsync(Counter(0));
        var first = manager.UpdateAsync("x", Increment, Ct);
        var second = manager.UpdateAsync("x", Increment, Ct).AsTask();

        // One commit makes both durable. The first caller's continuation blocks until the second caller has its
        // outcome: if it ran on the thread that tells the callers of that commit, the second would never be told.
        var firstSawSecond = ContinueUntilAsync(first, second);
        _store.Commit();

        Assert.True(await firstSawSecond, "the second caller was not told while the first caller's continuation ran");
        Assert.Equal(3, (await second).Version);
    }

    /// <summary>Awaits <paramref name="first"/>, then blocks its continuation until <paramref name="second"/> completes (at most 30 s).</summary>
    private static async Task<bool> ContinueUntilAsync(ValueTask<ContextState> first, Task second)
    {
        // No captured context: the continuation runs wherever the manager completes the first write's caller.
        await first.ConfigureAwait(false);
#pragma warning disable xUnit1031 // The blocking wait is the point: it would never end on the thread that tells the second caller.
        return second.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
#pragma warning restore xUnit1031
    }

    /// <summary>
    /// Starts a compare-and-set of x at version 1 that the store keeps and reports as failed (its outcome unknown to the
    /// manager), and returns it once the manager's read of x back waits at the store's read gate.
    /// </summary>
    private async Task<Task<ContextState>> UnknownOutcomeAtReadBackAsync(ContextManager manager)
    {
        var update = manager.UpdateAsync("x", Counter(1), expectedVersion: 1, Ct).AsTask();
        _store.ReadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.CommitThenFail(1, new IOException("injected: the commit failed after storing the write"));
        await _store.ReadAsked.Task.WaitAsync(Ct);
        return update;
    }

    private async Task<ContextManager> CreatedAsync(ContextContent content)
    {
        var manager = new ContextManager(_store, timeProvider: Time);
        await manager.InitializeAsync(Ct);
        var create = manager.CreateAsync("x", content, Ct);
        _store.Commit();
        await create;
        return manager;
    }

    /// <summary>Commits every write submitted, as it comes, until <paramref name="writes"/> have their outcomes.</summary>
    private async Task CommitUntilSettledAsync(params Task[] writes)
    {
        var settled = Task.WhenAll(writes);
        while (!settled.IsCompleted)
        {
            var next = _store.SubmittedAsync(_store.SubmittedCount + 1);
            _store.Commit();
            await Task.WhenAny(settled, next);
        }
    }

    private static IEnumerable<long> Versions(IEnumerable<ContextWrite> writes) =>
        writes.OfType<PutContextWrite>().Select(w => w.State.Version);

    private static (long Version, long Counter) VersionAndCounter(ContextState state) => (state.Version, CounterOf(state));

    private static List<ContextChange> Drain(ContextChangeSubscription changes)
    {
        var read = new List<ContextChange>();
        while (changes.TryRead(out var change))
        {
            read.Add(change);
        }

        return read;
    }
}
