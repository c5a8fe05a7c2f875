namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    [Fact]
    public async Task RecoveryPoints_AreListedNewestFirst_AndRestoreWritesANewVersion()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(10), Ct);
        var first = await manager.CreateRecoveryPointAsync("a", Ct);
        await manager.UpdateAsync("a", Counter(20), cancellationToken: Ct);
        var second = await manager.CreateRecoveryPointAsync("a", Ct);
        await manager.UpdateAsync("a", Counter(30), cancellationToken: Ct);

        var points = await manager.ListRecoveryPointsAsync("a", Ct);
        Assert.Equal([second.Id, first.Id], points.Select(p => p.Id));
        Assert.True(second.Id > first.Id);
        Assert.Equal((1L, 2L), (first.Version, second.Version));

        var restored = await manager.RestoreAsync("a", first.Id, expectedVersion: 3, Ct);
        Assert.Equal((4L, 10L), (restored.Version, CounterOf(restored)));
        var persisted = await (await ReopenAsync()).GetAsync("a", Ct);
        Assert.Equal((4L, 10L), (persisted.Version, CounterOf(persisted)));
    }

    [Fact]
    public async Task RecoveryPoints_SurviveRestart_AndIdsKeepGrowingAfterIt()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.CreateAsync("b", Counter(2), Ct);
        var pa = await manager.CreateRecoveryPointAsync("a", Ct);
        var pb = await manager.CreateRecoveryPointAsync("b", Ct);
        await manager.DeleteAsync("b", cancellationToken: Ct);

        var reopened = await ReopenAsync();
        var listed = Assert.Single(await reopened.ListRecoveryPointsAsync("a", Ct));
        Assert.Equal((pa.Id, 1L), (listed.Id, CounterOf(listed.State)));
        var later = await reopened.CreateRecoveryPointAsync("a", Ct);
        Assert.True(later.Id > pb.Id, $"recovery point id {later.Id} was handed out again after restart (last was {pb.Id})");
    }

    [Fact]
    public async Task RecoveryPoints_AreBoundedPerContext_OldestPruned_OthersUntouched()
    {
        var manager = await NewManagerAsync(new ContextOptions { MaxRecoveryPointsPerContext = 3 });
        await manager.CreateAsync("a", Counter(0), Ct);
        await manager.CreateAsync("b", Counter(0), Ct);
        var kept = await manager.CreateRecoveryPointAsync("b", Ct);
        var taken = new List<RecoveryPoint>();
        for (var i = 0; i < 7; i++)
        {
            await manager.UpdateAsync("a", Counter(i), cancellationToken: Ct);
            taken.Add(await manager.CreateRecoveryPointAsync("a", Ct));
        }

        var listed = await manager.ListRecoveryPointsAsync("a", Ct);
        Assert.Equal(taken.TakeLast(3).Reverse().Select(p => p.Id), listed.Select(p => p.Id));
        Assert.Equal(kept.Id, Assert.Single(await manager.ListRecoveryPointsAsync("b", Ct)).Id);
        await Assert.ThrowsAsync<RecoveryPointNotFoundException>(async () => await manager.RestoreAsync("a", taken[0].Id, cancellationToken: Ct));
    }

    [Fact]
    public async Task Restore_OfAnotherContextsRecoveryPoint_IsNotFound_AndChangesNothing()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.CreateAsync("b", Counter(2), Ct);
        var pointOfB = await manager.CreateRecoveryPointAsync("b", Ct);

        var error = await Assert.ThrowsAsync<RecoveryPointNotFoundException>(
            async () => await manager.RestoreAsync("a", pointOfB.Id, cancellationToken: Ct));

        Assert.Equal(pointOfB.Id, error.RecoveryPointId);
        Assert.Equal(1, (await manager.GetAsync("a", Ct)).Version);
    }
}
