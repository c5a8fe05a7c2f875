using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// A write planned behind one whose outcome is unknown can still commit (the store did apply the first one): the slots of
/// <see cref="ContextOptions.MaxContexts"/> must then follow what memory holds, or the cap is exceeded or refuses room
/// it has (issue 15 item 6; found by <see cref="ReservedSlotsPropertyTests"/>). A <see cref="ManualCommitStore"/> holds
/// both writes, so the second is planned on the first, then stores the first and reports an error.
/// </summary>
public sealed class UnknownOutcomeSlotTests : ContextTestKit
{
    private readonly ManualCommitStore _store = new();

    [Fact]
    public async Task ACreateStoredWithAnUnknownOutcome_ThenDeletedBehindIt_FreesOneSlot_NotTwo()
    {
        var manager = await ManagerAsync(maxContexts: 1);

        var create = manager.CreateAsync("a", Counter(1), Ct).AsTask();
        var delete = manager.DeleteAsync("a", cancellationToken: Ct).AsTask();
        await SettleAsync(create, delete);

        await CommittedAsync(manager.CreateAsync("b", Counter(2), Ct));
        await Assert.ThrowsAsync<ContextLimitExceededException>(() => CommittedAsync(manager.CreateAsync("c", Counter(3), Ct)));
        Assert.Equal((1, 1), (manager.ReservedCount, manager.Count));
    }

    [Fact]
    public async Task ACreateStoredWithAnUnknownOutcome_ThenUpdatedBehindIt_HoldsItsSlot()
    {
        var manager = await ManagerAsync(maxContexts: 1);

        var create = manager.CreateAsync("a", Counter(1), Ct).AsTask();
        var update = manager.UpdateAsync("a", Increment, Ct).AsTask();
        await SettleAsync(create, update);

        Assert.Equal(2, (await manager.GetAsync("a", Ct)).Version);
        await Assert.ThrowsAsync<ContextLimitExceededException>(() => CommittedAsync(manager.CreateAsync("b", Counter(2), Ct)));
        Assert.Equal((1, 1), (manager.ReservedCount, manager.Count));
    }

    [Fact]
    public async Task ADeleteStoredWithAnUnknownOutcome_ThenCreatedAgainBehindIt_HoldsOneSlot_NotTwo()
    {
        var manager = await ManagerAsync(maxContexts: 2);
        await CommittedAsync(manager.CreateAsync("a", Counter(1), Ct));

        var delete = manager.DeleteAsync("a", cancellationToken: Ct).AsTask();
        var create = manager.CreateAsync("a", Counter(2), Ct).AsTask();
        await SettleAsync(delete, create);

        Assert.Equal(2, CounterOf(await manager.GetAsync("a", Ct)));
        await CommittedAsync(manager.CreateAsync("b", Counter(3), Ct));
        Assert.Equal((2, 2), (manager.ReservedCount, manager.Count));
    }

    private async Task<ContextManager> ManagerAsync(int maxContexts)
    {
        var manager = new ContextManager(_store, new ContextOptions { MaxContexts = maxContexts }, Time);
        await manager.InitializeAsync(Ct);
        return manager;
    }

    /// <summary>Stores both writes; the first is reported as failed after it was stored, the second succeeds.</summary>
    private async Task SettleAsync(Task<ContextState> first, Task<ContextState> second)
    {
        Assert.Equal(2, _store.Waiting);
        _store.CommitThenFail(1, new IOException("injected: the commit failed after storing the write"));
        _store.Commit();
        await Assert.ThrowsAsync<ContextWriteOutcomeUnknownException>(() => first);
        await second;
    }

    /// <summary>
    /// Commits a write to a context with nothing in flight (it was submitted before its call returned, unless refused), so
    /// that a create the cap should have refused fails the test instead of waiting for a commit.
    /// </summary>
    private async Task<ContextState> CommittedAsync(ValueTask<ContextState> write)
    {
        var pending = write.AsTask();
        _store.Commit();
        return await pending;
    }
}
