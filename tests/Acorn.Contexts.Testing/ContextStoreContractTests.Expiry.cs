namespace Acorn.Contexts.Testing;

/// <summary>
/// An expired context gives up its slot of <see cref="ContextOptions.MaxContexts"/> at once, whether or not the sweeper
/// has removed it yet (issue 15 item 5): a create at the cap never fails while the listing shows room.
/// </summary>
public abstract partial class ContextStoreContractTests
{
    [Fact]
    public async Task ACreateAtTheCap_TakesTheSlotOfAnExpiredContextTheSweeperHasNotRemoved()
    {
        var manager = await NewManagerAsync(new ContextOptions { MaxContexts = 2 });
        using var changes = manager.Subscribe();
        await manager.CreateAsync("short", Counter(1) with { TimeToLive = TimeSpan.FromSeconds(10) }, Ct);
        await manager.CreateAsync("long", Counter(2), Ct);
        await Assert.ThrowsAsync<ContextLimitExceededException>(async () => await manager.CreateAsync("early", Counter(0), Ct));
        Time.Advance(TimeSpan.FromSeconds(10));

        // No sweep ran: the listing shows one context under a cap of two, so a create must find room.
        Assert.Equal(["long"], (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        var created = await manager.CreateAsync("new", Counter(3), Ct);

        Assert.Equal(3, CounterOf(created));
        Assert.Null(await manager.FindAsync("short", Ct));
        Assert.Equal(["long", "new"], (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        Assert.Equal(2, await manager.CountAsync(Ct));
        var limit = await Assert.ThrowsAsync<ContextLimitExceededException>(async () => await manager.CreateAsync("more", Counter(4), Ct));
        Assert.Equal(2, limit.Limit);

        // The expired context left the store and the feed the way a sweep removes it.
        Assert.Equal(
            [(ContextChangeKind.Created, "short"), (ContextChangeKind.Created, "long"), (ContextChangeKind.Expired, "short"), (ContextChangeKind.Created, "new")],
            Drain(changes).Select(c => (c.Kind, c.ContextId)));
        var reopened = await ReopenAsync(new ContextOptions { MaxContexts = 2 });
        Assert.Equal(["long", "new"], (await reopened.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        Assert.Equal(2, await reopened.CountAsync(Ct));
    }

    [Fact]
    public async Task CreatesRacingAtTheCap_EachTakeASlotOfTheExpiredContexts()
    {
        const int cap = 4;
        var manager = await NewManagerAsync(new ContextOptions { MaxContexts = cap });
        for (var round = 0; round < RaceRounds; round++)
        {
            for (var i = 0; i < cap; i++)
            {
                await manager.CreateAsync($"old-{round}-{i}", Counter(i) with { TimeToLive = TimeSpan.FromSeconds(1) }, Ct);
            }

            Time.Advance(TimeSpan.FromSeconds(1));

            // Every expired context frees a slot: as many racing creates as there are slots all succeed.
            var outcomes = await RaceAsync(cap, async task =>
            {
                try
                {
                    await manager.CreateAsync($"new-{round}-{task}", Counter(task) with { TimeToLive = TimeSpan.FromSeconds(1) }, Ct);
                    return true;
                }
                catch (ContextLimitExceededException)
                {
                    return false;
                }
            });

            Assert.True(outcomes.All(created => created), $"round {round}: {outcomes.Count(created => !created)} of {cap} creates refused with {cap} expired contexts to give up their slots");
            Assert.Equal(cap, await manager.CountAsync(Ct));
            Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(cap, await manager.RemoveExpiredAsync(Ct));
        }
    }
}
