namespace Acorn.Contexts.Testing;

/// <summary>An (id, version) pair names exactly one state, forever: across deletes, expiries and restarts (DESIGN §3.2).</summary>
public abstract partial class ContextManagerContractTests
{
    [Fact]
    public async Task AVersionKeptFromADeletedContext_NeverMatchesTheContextCreatedAgain()
    {
        var manager = await NewManagerAsync();
        var first = await manager.CreateAsync("a", Counter(1), Ct);
        await manager.DeleteAsync("a", cancellationToken: Ct);

        var second = await manager.CreateAsync("a", Counter(2), Ct);

        Assert.True(second.Version > first.Version, $"the context created again is at version {second.Version}, which its predecessor had");
        await AssertStaleAsync(manager, "a", first.Version, second);
    }

    [Fact]
    public async Task AVersionKeptFromADeletedContext_NeverMatchesItsSuccessor_AfterARestart()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(0), Ct);
        for (var i = 1; i <= 3; i++)
        {
            await manager.UpdateAsync("a", Counter(i), cancellationToken: Ct);
        }

        var deleted = await manager.DeleteAsync("a", cancellationToken: Ct);

        var reopened = await ReopenAsync();
        var recreated = await reopened.CreateAsync("a", Counter(10), Ct);
        Assert.True(recreated.Version > deleted.Version, $"created again at version {recreated.Version} after version {deleted.Version} was deleted");

        // Every version the deleted context went through is stale for its successor, whichever it was.
        for (var version = 1L; version <= deleted.Version; version++)
        {
            await AssertStaleAsync(reopened, "a", version, recreated);
        }
    }

    [Fact]
    public async Task AVersionKeptFromAnExpiredContext_NeverMatchesTheContextCreatedAgain()
    {
        SkipUnlessItCanSweep();
        var manager = await NewManagerAsync();
        var expired = await manager.CreateAsync("s", Counter(1) with { TimeToLive = TimeSpan.FromSeconds(10) }, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await manager.RemoveExpiredAsync(Ct));

        var recreated = await manager.CreateAsync("s", Counter(2), Ct);

        Assert.True(recreated.Version > expired.Version, $"created again at version {recreated.Version}, its expired predecessor's");
        await AssertStaleAsync(manager, "s", expired.Version, recreated);
    }

    /// <summary>A compare-and-set at <paramref name="stale"/> conflicts and changes nothing, for each kind of write.</summary>
    private static async Task AssertStaleAsync(IContextManager manager, string id, long stale, ContextState current)
    {
        var update = await Assert.ThrowsAsync<ContextVersionConflictException>(
            async () => await manager.UpdateAsync(id, Counter(99), expectedVersion: stale, Ct));
        Assert.Equal((stale, current.Version), (update.ExpectedVersion, update.ActualVersion));
        await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await manager.DeleteAsync(id, expectedVersion: stale, Ct));

        var unchanged = await manager.GetAsync(id, Ct);
        Assert.Equal((current.Version, CounterOf(current)), (unchanged.Version, CounterOf(unchanged)));
    }
}
