using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

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
}
