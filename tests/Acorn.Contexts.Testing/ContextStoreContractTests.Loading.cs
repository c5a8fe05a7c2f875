namespace Acorn.Contexts.Testing;

/// <summary>
/// Start-up (issue 18): the store reads in pages, the manager serves reads and writes while it loads in the background,
/// and writes during the load keep every invariant.
/// </summary>
public abstract partial class ContextStoreContractTests
{
    [Fact]
    public async Task TheStore_ReadsEveryContextOnce_InIdOrder_PageByPage_AndSummarisesItself()
    {
        var manager = await NewManagerAsync();
        var ids = Enumerable.Range(0, 10).Select(i => $"p-{9 - i}").ToList();
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        await manager.UpdateAsync("p-3", Counter(1), cancellationToken: Ct);
        await manager.DeleteAsync("p-3", cancellationToken: Ct);
        var store = await OpenStoreForReadingAsync();

        var pages = new List<ContextStorePage>();
        string? after = null;
        do
        {
            pages.Add(await store.ReadContextsAsync(after, 4, Ct));
            after = pages[^1].Next;
        }
        while (after is not null);

        Assert.Equal(ids.Where(id => id != "p-3").Order(StringComparer.Ordinal), pages.SelectMany(p => p.Contexts).Select(s => s.Id));
        Assert.All(pages.SkipLast(1), p => Assert.Equal((4, p.Contexts[^1].Id), (p.Contexts.Count, p.Next)));
        Assert.Empty(pages.SelectMany(p => p.Unreadable));
        var summary = await store.ReadSummaryAsync(Ct);
        Assert.Equal((9, 2L), (summary.ContextCount, summary.HighestDeletedVersion));
        Assert.Empty((await store.ReadContextsAsync("p-9", 4, Ct)).Contexts);
    }

    [Fact]
    public async Task WhileTheLoadWaits_ReadsAndCountsAreServedFromTheStore_AndTheLoadCompletesLater()
    {
        var seeded = await NewManagerAsync();
        for (var i = 0; i < 10; i++)
        {
            await seeded.CreateAsync($"c-{i}", Counter(i), Ct);
        }

        await seeded.UpdateAsync("c-5", Increment, Ct);
        GatedPagesStore? gate = null;
        var manager = await Managers.ReopenUnloadedAsync(null, store => gate = new GatedPagesStore(store, pageSize: 3));
        using var pages = gate!;

        await manager.OpenAsync(Ct);
        var state = await manager.GetAsync("c-5", Ct);
        Assert.Equal((2L, 6L), (state.Version, CounterOf(state)));
        Assert.Null(await manager.FindAsync("c-missing", Ct));
        Assert.Equal(10, await manager.CountAsync(Ct));
        Assert.Equal((0, 10, false), (manager.LoadStatus.Loaded, manager.LoadStatus.Total, manager.LoadStatus.IsComplete));

        pages.ReleaseAll();
        await manager.InitializeAsync(Ct);

        Assert.Equal((10, 10, true), (manager.LoadStatus.Loaded, manager.LoadStatus.Total, manager.LoadStatus.IsComplete));
        Assert.Equal(2, (await manager.GetAsync("c-5", Ct)).Version);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"c-{i}"), (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
    }

    [Fact]
    public async Task WritesBeforeTheLoadReachesTheirContext_KeepVersionsTheCapAndDeletes()
    {
        var seeded = await NewManagerAsync();
        for (var i = 0; i < 9; i++)
        {
            await seeded.CreateAsync($"a-{i}", Counter(0), Ct);
        }

        // The store's mark: version 3 of "gone" was deleted, so no id may be created again at a version below 4.
        await seeded.CreateAsync("gone", Counter(0), Ct);
        await seeded.UpdateAsync("gone", Increment, Ct);
        await seeded.UpdateAsync("gone", Increment, Ct);
        await seeded.DeleteAsync("gone", cancellationToken: Ct);

        // One page holds every row, read as the load starts: before every write below, so all of it is stale by the time
        // it is handed over.
        GatedPagesStore? gate = null;
        var manager = await Managers.ReopenUnloadedAsync(new ContextOptions { MaxContexts = 11 }, store => gate = new GatedPagesStore(store, pageSize: 100));
        using var pages = gate!;

        var updated = await manager.UpdateAsync("a-4", Increment, Ct);
        await manager.DeleteAsync("a-7", cancellationToken: Ct);
        await Assert.ThrowsAsync<ContextAlreadyExistsException>(async () => await manager.CreateAsync("a-1", Counter(9), Ct));
        var fresh = await manager.CreateAsync("new", Counter(0), Ct);
        var again = await manager.CreateAsync("gone", Counter(0), Ct);
        await manager.CreateAsync("x", Counter(0), Ct);
        await Assert.ThrowsAsync<ContextLimitExceededException>(async () => await manager.CreateAsync("y", Counter(0), Ct));
        Assert.Equal(0, pages.PagesRead);

        pages.ReleaseAll();
        await manager.InitializeAsync(Ct);

        Assert.Equal((2L, 1L), (updated.Version, CounterOf(updated)));
        Assert.Equal((4L, 4L), (fresh.Version, again.Version));
        string[] expected = ["a-0", "a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-8", "gone", "new", "x"];
        Assert.Equal(expected, (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        Assert.Equal(11, await manager.CountAsync(Ct));
        Assert.Equal(0, CounterOf(await manager.GetAsync("a-1", Ct)));

        var reopened = await ReopenAsync();
        Assert.Equal(expected, (await reopened.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        Assert.Equal(2, (await reopened.GetAsync("a-4", Ct)).Version);
    }

    [Fact]
    public async Task ConcurrentWritesWhileThePagesArrive_LoseNoUpdate_AndResurrectNothing()
    {
        var seeded = await NewManagerAsync();
        var seededIds = Enumerable.Range(0, 30).Select(i => $"s-{i:D2}").ToList();
        foreach (var id in seededIds)
        {
            await seeded.CreateAsync(id, Counter(0), Ct);
        }

        var ids = seededIds.Concat(Enumerable.Range(0, 10).Select(i => $"n-{i:D2}")).ToList();

        // The version each id's last incarnation was created at: its counter must equal its version minus that.
        var createdAt = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(seededIds.ToDictionary(id => id, _ => 1L));
        for (var round = 0; round < 4; round++)
        {
            GatedPagesStore? gate = null;
            var manager = await Managers.ReopenUnloadedAsync(null, store => gate = new GatedPagesStore(store, pageSize: 3));
            using var pages = gate!;
            var operations = 0;
            await RaceAsync(8, async task =>
            {
                var random = new Random((round * 8) + task);
                for (var i = 0; i < 40; i++)
                {
                    var id = ids[random.Next(ids.Count)];
                    try
                    {
                        switch (random.Next(4))
                        {
                            case 0:
                                await manager.DeleteAsync(id, cancellationToken: Ct);
                                break;
                            case 1:
                                var created = await manager.CreateAsync(id, Counter(0), Ct);
                                createdAt.AddOrUpdate(id, created.Version, (_, before) => Math.Max(before, created.Version));
                                break;
                            default:
                                await manager.UpdateAsync(id, Increment, Ct);
                                break;
                        }
                    }
                    catch (Exception ex) when (ex is ContextNotFoundException or ContextAlreadyExistsException)
                    {
                        // Another task deleted or created it first.
                    }

                    // The load goes on between the writes: one page (read when the one before it was installed) every few
                    // operations, so writes often hit the rows of a page waiting to be handed over.
                    if (Interlocked.Increment(ref operations) % 8 == 0)
                    {
                        pages.Release();
                    }
                }

                return 0;
            });

            pages.ReleaseAll();
            await manager.InitializeAsync(Ct);
            var live = (await manager.ListAsync(limit: 1000, cancellationToken: Ct)).Items;
            foreach (var state in live)
            {
                Assert.Equal(state.Version - createdAt[state.Id], CounterOf(state));
            }

            Assert.Equal(live.Count, await manager.CountAsync(Ct));
            var stored = await OpenStoreForReadingAsync();
            Assert.Equal(
                live.Select(s => (s.Id, s.Version, CounterOf(s))),
                (await stored.ReadAllAsync(Ct)).Select(s => (s.Id, s.Version, CounterOf(s))));
        }
    }

    /// <summary>Closes the managers' stores and opens the same storage again, for a direct read of what was persisted.</summary>
    private async Task<IContextStore> OpenStoreForReadingAsync()
    {
        await Managers.DisposeAsync();
        IContextStore? store = null;
        await Managers.NewAsync(null, opened => store = opened, Ct);
        return store!;
    }
}
