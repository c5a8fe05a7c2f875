using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

public sealed class ContextTrackerTests : InMemoryContextTestBase
{
    [Fact]
    public async Task LocalChanges_StayLocalUntilSync_ThenArePushedAsOneNewVersion()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        await using var tracker = await ContextTracker.StartAsync(manager, "t", cancellationToken: Ct);
        Assert.False(tracker.IsSyncNeeded);

        tracker.Update(c => Counter(CounterOf(c) + 1));
        tracker.Update(c => Counter(CounterOf(c) + 1));

        Assert.True(tracker.IsSyncNeeded);
        Assert.Equal(1, (await manager.GetAsync("t", Ct)).Version);
        var synced = await tracker.SyncAsync(Ct);
        Assert.Equal((2L, 2L), (synced.Version, CounterOf(synced)));
        Assert.False(tracker.IsSyncNeeded);
        Assert.Same(synced, await tracker.SyncAsync(Ct));
    }

    [Fact]
    public async Task Conflict_WithFailPolicy_Throws_ChangesNothing_AndKeepsTheChangesPending()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        await using var tracker = await ContextTracker.StartAsync(manager, "t", cancellationToken: Ct);
        tracker.Set(Counter(5));
        await manager.UpdateAsync("t", Counter(100), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ContextVersionConflictException>(() => tracker.SyncAsync(Ct));

        Assert.Equal((1L, 2L), (error.ExpectedVersion, error.ActualVersion));
        Assert.Equal(100, CounterOf(await manager.GetAsync("t", Ct)));
        Assert.True(tracker.IsSyncNeeded);
    }

    [Fact]
    public async Task Conflict_WithOverwritePolicy_WritesTheWorkingCopy()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        await using var tracker = await ContextTracker.StartAsync(manager, "t", new ContextTrackerOptions { ConflictPolicy = ConflictPolicy.Overwrite }, cancellationToken: Ct);
        tracker.Set(Counter(5));
        await manager.UpdateAsync("t", Counter(100), cancellationToken: Ct);

        var synced = await tracker.SyncAsync(Ct);

        Assert.Equal((3L, 5L), (synced.Version, CounterOf(synced)));
    }

    [Fact]
    public async Task Conflict_WithMergePolicy_WritesWhatTheMergeFunctionComputes()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(10), Ct);
        var options = new ContextTrackerOptions
        {
            ConflictPolicy = ConflictPolicy.Merge,
            // Three-way merge of a counter: both sides' increments over the common base of 10 survive.
            Merge = (remote, local) => Counter(CounterOf(remote) + CounterOf(local) - 10),
        };
        await using var tracker = await ContextTracker.StartAsync(manager, "t", options, cancellationToken: Ct);
        tracker.Update(c => Counter(CounterOf(c) + 1)); // local: 11
        await manager.UpdateAsync("t", Counter(15), cancellationToken: Ct); // remote: +5

        var synced = await tracker.SyncAsync(Ct);

        Assert.Equal((3L, 16L), (synced.Version, CounterOf(synced)));
        Assert.Equal(synced, tracker.Base);
        Assert.False(tracker.IsSyncNeeded);
    }

    [Fact]
    public async Task MergePolicy_WithoutAMergeFunction_IsRefused()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        await Assert.ThrowsAsync<ArgumentException>(
            () => ContextTracker.StartAsync(manager, "t", new ContextTrackerOptions { ConflictPolicy = ConflictPolicy.Merge }, cancellationToken: Ct));
    }

    [Fact]
    public async Task PeriodicSync_PushesPendingChanges_WhenTheIntervalElapses()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        using var changes = manager.Subscribe("t");
        await using var tracker = await ContextTracker.StartAsync(
            manager, "t", new ContextTrackerOptions { SyncInterval = TimeSpan.FromMinutes(1), CreateRecoveryPointOnSync = true }, Time, cancellationToken: Ct);
        tracker.Set(Counter(7));

        Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(changes.TryRead(out _));
        Time.Advance(TimeSpan.FromSeconds(1));

        await using var reader = changes.ReadAllAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal((2L, 7L), (reader.Current.Version, CounterOf(reader.Current.State!)));
        var point = Assert.Single(await manager.ListRecoveryPointsAsync("t", Ct));
        Assert.Equal(2, point.Version);
    }

    [Fact]
    public async Task LocalChangesDuringSyncs_AreNeverLost()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("t", Counter(0), Ct);
        await using var tracker = await ContextTracker.StartAsync(manager, "t", cancellationToken: Ct);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var editors = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < 500; i++)
            {
                tracker.Update(c => Counter(CounterOf(c) + 1));
            }
        }));
        var syncers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < 50; i++)
            {
                await tracker.SyncAsync(Ct);
            }
        }));
        var all = editors.Concat(syncers).ToArray();

        gate.SetResult();
        await Task.WhenAll(all);
        var final = await tracker.SyncAsync(Ct);

        Assert.Equal(4000, CounterOf(final));
        Assert.Equal(final, await manager.GetAsync("t", Ct));
    }
}
