using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Acorn.Server.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Acorn.Server.Tests;

/// <summary>The contexts health check: degraded while the load runs ("loading N of M") and while rows are quarantined.</summary>
public sealed class ContextLoadHealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhileTheLoadRuns_ItIsDegraded_LoadingNOfM_ThenHealthy()
    {
        var store = new InMemoryContextStore();
        var seeded = new ContextManager(store);
        for (var i = 0; i < 5; i++)
        {
            await seeded.CreateAsync($"h-{i}", ContextContent.Parse("{}"), Ct);
        }

        using var pages = new GatedPagesStore(store, pageSize: 2);
        var manager = new ContextManager(pages);
        var check = new ContextLoadHealthCheck(manager);
        await manager.OpenAsync(Ct);

        var loading = await check.CheckHealthAsync(new HealthCheckContext(), Ct);
        pages.ReleaseAll();
        await manager.InitializeAsync(Ct);
        var loaded = await check.CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal((HealthStatus.Degraded, "loading 0 of 5 contexts"), (loading.Status, loading.Description));
        Assert.Equal((HealthStatus.Healthy, "5 contexts loaded"), (loaded.Status, loaded.Description));
    }

    [Fact]
    public async Task AQuarantinedRow_KeepsItDegraded_NamingTheId()
    {
        var store = new InMemoryContextStore();
        await new ContextManager(store).CreateAsync("fine", ContextContent.Parse("{}"), Ct);
        var manager = new ContextManager(new OneUnreadableRowStore(store));
        await manager.InitializeAsync(Ct);

        var result = await new ContextLoadHealthCheck(manager).CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("1 contexts quarantined", result.Description, StringComparison.Ordinal);
        Assert.Contains("'broken' (not JSON)", result.Description, StringComparison.Ordinal);
        Assert.Equal("fine", Assert.Single((await manager.ListAsync(cancellationToken: Ct)).Items).Id);
    }

    /// <summary>A store with one more row than its inner one, which cannot be read.</summary>
    private sealed class OneUnreadableRowStore(IContextStore inner) : DelegatingContextStore(inner)
    {
        public override async Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken)
        {
            var summary = await Inner.ReadSummaryAsync(cancellationToken);
            return summary with { ContextCount = summary.ContextCount + 1 };
        }

        public override async Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken)
        {
            var page = await Inner.ReadContextsAsync(after, limit, cancellationToken);
            return after is null ? page with { Unreadable = [new UnreadableContext("broken", "not JSON")] } : page;
        }
    }
}
