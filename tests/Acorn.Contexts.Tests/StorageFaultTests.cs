using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// A store that fails before committing: every kind of write (restores and expiry removals included) fails, changes
/// nothing, publishes nothing, and leaves the store as it was for the next process (issue 15 item 16).
/// </summary>
public sealed class StorageFaultTests : InMemoryContextTestBase
{
    [Fact]
    public async Task FailedWrites_AreReportedAsStoreErrors_ChangeNothing_AndTheManagerRecovers()
    {
        FaultInjectingStore? faults = null;
        var manager = await NewManagerAsync(new ContextOptions { MaxContexts = 2 }, store => faults = new FaultInjectingStore(store));
        using var changes = manager.Subscribe();
        await manager.CreateAsync("a", Counter(1), Ct);
        faults!.Failing = true;

        var update = await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.UpdateAsync("a", Increment, Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.DeleteAsync("a", cancellationToken: Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.CreateAsync("b", Counter(1), Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.CreateRecoveryPointAsync("a", Ct));

        Assert.IsType<IOException>(update.InnerException);
        Assert.Equal("a", update.ContextId);
        var a = await manager.GetAsync("a", Ct);
        Assert.Equal((1L, 1L), (a.Version, CounterOf(a)));
        Assert.Null(await manager.FindAsync("b", Ct));
        Assert.True(changes.TryRead(out _));
        Assert.False(changes.TryRead(out _), "a failed write was published on the change feed");

        faults.Failing = false;
        Assert.Equal(2, (await manager.UpdateAsync("a", Increment, Ct)).Version);
        await manager.CreateAsync("b", Counter(1), Ct); // the failed create released its slot under the cap of 2
        Assert.Equal(2, manager.Count);
    }

    [Fact]
    public async Task AFailedRestore_ChangesNothing_PublishesNothing_AndSurvivesAReopen()
    {
        FaultInjectingStore? faults = null;
        var manager = await NewManagerAsync(wrap: store => faults = new FaultInjectingStore(store));
        await manager.CreateAsync("a", Counter(1), Ct);
        var point = await manager.CreateRecoveryPointAsync("a", Ct);
        await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct);
        using var changes = manager.Subscribe();
        faults!.Failing = true;

        var failure = await Assert.ThrowsAsync<ContextStoreException>(async () => await manager.RestoreAsync("a", point.Id, cancellationToken: Ct));

        Assert.IsType<IOException>(failure.InnerException);
        Assert.Equal((2L, 2L), VersionAndCounter(await manager.GetAsync("a", Ct)));
        Assert.False(changes.TryRead(out var published), $"a failed restore was published: {published?.Kind} v{published?.Version}");

        var reopened = await ReopenAsync();
        Assert.Equal((2L, 2L), VersionAndCounter(await reopened.GetAsync("a", Ct)));
        Assert.Equal([point.Id], (await reopened.ListRecoveryPointsAsync("a", Ct)).Select(p => p.Id));

        // The point is still there, and restoring it once the store works is the write that failed.
        using var after = reopened.Subscribe();
        Assert.Equal((3L, 1L), VersionAndCounter(await reopened.RestoreAsync("a", point.Id, cancellationToken: Ct)));
        Assert.True(after.TryRead(out var restored));
        Assert.Equal((ContextChangeKind.Restored, 3L), (restored.Kind, restored.Version));
    }

    [Fact]
    public async Task AFailedExpirySweep_RemovesNothing_PublishesNothing_AndSurvivesAReopen()
    {
        FaultInjectingStore? faults = null;
        var manager = await NewManagerAsync(wrap: store => faults = new FaultInjectingStore(store));
        await manager.CreateAsync("short", Counter(1) with { TimeToLive = TimeSpan.FromSeconds(10) }, Ct);
        await manager.CreateAsync("kept", Counter(2), Ct);
        using var changes = manager.Subscribe();
        Time.Advance(TimeSpan.FromSeconds(10));
        faults!.Failing = true;

        // The sweep logs and skips what the store fails to delete; it tries again next time.
        Assert.Equal(0, await manager.RemoveExpiredAsync(Ct));

        Assert.Equal(2, await manager.CountAsync(Ct));
        Assert.Null(await manager.FindAsync("short", Ct)); // expired: hidden at once, removed or not
        Assert.False(changes.TryRead(out var published), $"a failed expiry was published: {published?.Kind} {published?.ContextId}");

        var reopened = await ReopenAsync();
        Assert.Equal(2, await reopened.CountAsync(Ct));
        Assert.Null(await reopened.FindAsync("short", Ct));

        // Once the store works the next sweep removes it, publishing it once.
        using var after = reopened.Subscribe();
        Assert.Equal(1, await reopened.RemoveExpiredAsync(Ct));
        Assert.Equal(1, await reopened.CountAsync(Ct));
        Assert.True(after.TryRead(out var expired));
        Assert.Equal((ContextChangeKind.Expired, "short", 1L), (expired.Kind, expired.ContextId, expired.Version));
        Assert.False(after.TryRead(out _));
    }

    private static (long Version, long Counter) VersionAndCounter(ContextState state) => (state.Version, CounterOf(state));
}
