namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    [Fact]
    public async Task ExpiredContext_IsHiddenAtOnce_AndTheSweepDeletesIt()
    {
        SkipUnlessItCanSweep();
        var manager = await NewManagerAsync(new ContextOptions { DefaultTimeToLive = TimeSpan.FromMinutes(10) });
        using var changes = manager.Subscribe();
        var created = await manager.CreateAsync("short", Counter(1), Ct);
        await manager.CreateAsync("forever", Counter(1) with { TimeToLive = Timeout.InfiniteTimeSpan }, Ct);
        Assert.Equal(Time.GetUtcNow().AddMinutes(10), created.ExpiresAt);

        Time.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(await manager.FindAsync("short", Ct));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await manager.FindAsync("short", Ct));
        Assert.DoesNotContain("short", (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));

        Assert.Equal(1, await manager.RemoveExpiredAsync(Ct));
        Assert.Equal(0, await manager.RemoveExpiredAsync(Ct));
        Assert.Equal(1, await manager.CountAsync(Ct));
        Assert.NotNull(await manager.FindAsync("forever", Ct));
        var kinds = new List<(ContextChangeKind, string)>();
        while (changes.TryRead(out var change))
        {
            kinds.Add((change.Kind, change.ContextId));
        }

        Assert.Equal([(ContextChangeKind.Created, "short"), (ContextChangeKind.Created, "forever"), (ContextChangeKind.Expired, "short")], kinds);
        Assert.Null(await (await ReopenAsync()).FindAsync("short", Ct));
    }

    [Fact]
    public async Task WriteToAnExpiredContext_SeesNoContext_AndCreateReusesTheId_AtANewVersion()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("s", Counter(1) with { TimeToLive = TimeSpan.FromSeconds(30) }, Ct);
        Time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.UpdateAsync("s", Counter(2), cancellationToken: Ct));
        var recreated = await manager.CreateAsync("s", Counter(3), Ct);

        Assert.Equal(3, CounterOf(recreated));
        Assert.True(recreated.Version > 1, $"the context created again has version {recreated.Version}, a version its expired predecessor had");
        Assert.Empty(await manager.ListRecoveryPointsAsync("s", Ct));
    }

    [Fact]
    public async Task Update_KeepsTheExpiry_UnlessItGivesANewTimeToLive()
    {
        var manager = await NewManagerAsync();
        var created = await manager.CreateAsync("s", Counter(1) with { TimeToLive = TimeSpan.FromMinutes(1) }, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));

        var kept = await manager.UpdateAsync("s", Counter(2), cancellationToken: Ct);
        var extended = await manager.UpdateAsync("s", Counter(3) with { TimeToLive = TimeSpan.FromMinutes(5) }, cancellationToken: Ct);

        Assert.Equal(created.ExpiresAt, kept.ExpiresAt);
        Assert.Equal(Time.GetUtcNow().AddMinutes(5), extended.ExpiresAt);
        Assert.Equal(extended.ExpiresAt, (await (await ReopenAsync()).GetAsync("s", Ct)).ExpiresAt);
    }
}
