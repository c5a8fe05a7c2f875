namespace Acorn.Contexts.Testing;

/// <summary>
/// A write whose outcome the store cannot tell: its caller hears so, and the manager reads the context back before its
/// next write, so memory and store never stay apart (issue 15, item 1).
/// </summary>
public abstract partial class ContextStoreContractTests
{
    [Fact]
    public async Task AWriteStoredDespiteItsError_IsReportedAsUnknown_AndTheNextWritesContinueFromIt()
    {
        AmbiguousCommitStore? store = null;
        var manager = await Managers.NewAsync(null, s => store = new AmbiguousCommitStore(s), Ct);
        await manager.CreateAsync("a", Counter(0), Ct);
        using var changes = manager.Subscribe("a");
        store!.FailAfterCommitting(1);

        var unknown = await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(
            async () => await manager.UpdateAsync("a", Counter(1), cancellationToken: Ct));
        Assert.Equal("a", unknown.ContextId);

        // Not a conflict (the old bug: 412 forever): the blind write lands on the stored version 2.
        Assert.Equal(3, (await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct)).Version);
        var incremented = await manager.UpdateAsync("a", Increment, Ct);
        Assert.Equal((4L, 3L), (incremented.Version, CounterOf(incremented)));
        Assert.Equal(5, (await manager.UpdateAsync("a", Counter(4), expectedVersion: 4, Ct)).Version);

        Assert.Equal([(2L, 1L), (3L, 2L), (4L, 3L), (5L, 4L)], Drain(changes).Select(c => (c.Version, CounterOf(c.State!))));
        var persisted = await (await ReopenAsync()).GetAsync("a", Ct);
        Assert.Equal((5L, 4L), (persisted.Version, CounterOf(persisted)));
    }

    [Fact]
    public async Task AWriteWithAnUnknownOutcome_ThatWasNotStored_LeavesTheNextWritesOnTheStoredVersion()
    {
        AmbiguousCommitStore? store = null;
        var manager = await Managers.NewAsync(null, s => store = new AmbiguousCommitStore(s), Ct);
        await manager.CreateAsync("a", Counter(0), Ct);
        store!.FailBeforeCommitting(1);

        await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(async () => await manager.UpdateAsync("a", Counter(1), cancellationToken: Ct));

        Assert.Equal(1, (await manager.GetAsync("a", Ct)).Version);
        Assert.Equal((2L, 1L), VersionAndCount(await manager.UpdateAsync("a", Increment, Ct)));
        Assert.Equal((2L, 1L), VersionAndCount(await (await ReopenAsync()).GetAsync("a", Ct)));
    }

    [Fact]
    public async Task WritesInFlightBehindAnUnknownOutcome_AreReportedUnknownToo_AndWhatWasStoredIsReadBack()
    {
        AmbiguousCommitStore? store = null;
        var manager = await Managers.NewAsync(null, s => store = new AmbiguousCommitStore(s), Ct);
        await manager.CreateAsync("a", Counter(0), Ct);
        store!.FailAfterCommitting(8);

        // Eight increments race; every one is stored, then reported as failed: each caller must hear "unknown" (it
        // may have happened), never "nothing changed" and never a conflict.
        var outcomes = await RaceAsync(8, async _ =>
        {
            try
            {
                await manager.UpdateAsync("a", Increment, Ct);
                return "written";
            }
            catch (ContextWriteOutcomeUnknownException)
            {
                return "unknown";
            }
        });

        Assert.Equal(8, outcomes.Count(o => o == "unknown"));
        var next = await manager.UpdateAsync("a", Increment, Ct);
        Assert.Equal((10L, 9L), VersionAndCount(next));
        Assert.Equal((10L, 9L), VersionAndCount(await (await ReopenAsync()).GetAsync("a", Ct)));
    }

    [Fact]
    public async Task ACreateStoredDespiteItsError_IsFoundByTheNextWrite_AndKeepsItsSlot()
    {
        AmbiguousCommitStore? store = null;
        var manager = await Managers.NewAsync(new ContextOptions { MaxContexts = 1 }, s => store = new AmbiguousCommitStore(s), Ct);
        store!.FailAfterCommitting(1);

        await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(async () => await manager.CreateAsync("a", Counter(7), Ct));

        await Assert.ThrowsAsync<ContextAlreadyExistsException>(async () => await manager.CreateAsync("a", Counter(8), Ct));
        Assert.Equal(7, CounterOf(await manager.GetAsync("a", Ct)));
        await Assert.ThrowsAsync<ContextLimitExceededException>(async () => await manager.CreateAsync("b", Counter(1), Ct));
        Assert.Equal(1, await manager.CountAsync(Ct));
    }

    private static (long Version, long Count) VersionAndCount(ContextState state) => (state.Version, CounterOf(state));

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
