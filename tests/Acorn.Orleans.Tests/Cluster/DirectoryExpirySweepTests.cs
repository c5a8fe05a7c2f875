using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>Expired contexts are deleted by the scope directory's own timer, with no manager sweeping.</summary>
public sealed class DirectoryExpirySweepTests(SweepingCluster fixture) : IClassFixture<SweepingCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDirectorysTimer_DeletesExpiredContexts_AndOnlyThose()
    {
        var manager = new OrleansContextManager(fixture.Cluster.Client, timeProvider: fixture.Time, scope: $"sweep{Guid.NewGuid():N}");
        for (var i = 0; i < 10; i++)
        {
            await manager.CreateAsync($"short-{i}", Json() with { TimeToLive = TimeSpan.FromMinutes(1) }, Ct);
            await manager.CreateAsync($"long-{i}", Json() with { TimeToLive = TimeSpan.FromHours(1) }, Ct);
        }

        await manager.CreateAsync("forever", Json(), Ct);
        fixture.Time.Advance(TimeSpan.FromMinutes(2));

        // No manager sweeps: only the timer can bring the count down. The wait is bounded by the 30 s token.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (await manager.CountAsync(bound.Token) != 11)
        {
            await Task.Delay(50, bound.Token);
        }

        Assert.Equal(0, await manager.RemoveExpiredAsync(Ct));
        var listed = (await manager.ListAsync(limit: 100, cancellationToken: Ct)).Items.Select(s => s.Id);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"long-{i}").Append("forever").Order(StringComparer.Ordinal), listed);
    }

    private static ContextContent Json() => ContextContent.Parse("""{"x":1}""");
}
