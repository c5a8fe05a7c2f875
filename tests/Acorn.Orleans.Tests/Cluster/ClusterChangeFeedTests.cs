using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// Two managers on one cluster stand for two servers: each one's subscribers see the other's writes through the
/// scope's change stream, in each context's order, and their own writes exactly once.
/// </summary>
public sealed class ClusterChangeFeedTests(StreamingCluster fixture) : IClassFixture<StreamingCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachManager_SeesTheOthersWrites_InOrder_AndItsOwnOnce()
    {
        var scope = $"feed{Guid.NewGuid():N}";
        await using var serverA = await OpenAsync(scope);
        await using var serverB = await OpenAsync(scope);
        using var seenByA = serverA.Subscribe();
        using var seenByB = serverB.Subscribe();

        // A writes one context's whole life; B writes another; A's increments race B's on a third.
        await serverA.CreateAsync("a", Counter(0), Ct);
        for (var i = 1; i <= 3; i++)
        {
            await serverA.UpdateAsync("a", Counter(i), cancellationToken: Ct);
        }

        await serverA.DeleteAsync("a", cancellationToken: Ct);
        await serverB.CreateAsync("shared", Counter(0), Ct);
        await Task.WhenAll(new[]
        {
            IncrementAsync(serverA, "shared", 20),
            IncrementAsync(serverB, "shared", 20),
        });

        // Each reads until the other's last write, which reaches it through the scope's one stream after everything above.
        await serverA.CreateAsync("end-of-a", Counter(0), Ct);
        await serverB.CreateAsync("end-of-b", Counter(0), Ct);
        var atA = await ReadUntilAsync(seenByA, "end-of-b");
        var atB = await ReadUntilAsync(seenByB, "end-of-a");

        foreach (var seen in new[] { atA, atB })
        {
            Assert.Equal(
                [(ContextChangeKind.Created, 1L), (ContextChangeKind.Updated, 2L), (ContextChangeKind.Updated, 3L),
                 (ContextChangeKind.Updated, 4L), (ContextChangeKind.Deleted, 4L)],
                seen.Where(c => c.ContextId == "a").Select(c => (c.Kind, c.Version)));
            Assert.Equal(
                Enumerable.Range(1, 41).Select(v => (long)v),
                seen.Where(c => c.ContextId == "shared").Select(c => c.Version));
            Assert.Equal(seen.Select(c => c.Sequence).Order(), seen.Select(c => c.Sequence));
        }
    }

    private async Task<OrleansContextManager> OpenAsync(string scope)
    {
        var streams = fixture.Cluster.Client.ServiceProvider.GetRequiredKeyedService<IStreamProvider>(AcornOrleans.StreamProviderName);
        var manager = new OrleansContextManager(fixture.Cluster.Client, scope: scope, changeStreams: streams);
        await manager.InitializeAsync(Ct);
        return manager;
    }

    private static async Task IncrementAsync(OrleansContextManager manager, string id, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await manager.UpdateAsync(id, s => Counter(s.Data.GetProperty("n").GetInt64() + 1), Ct);
        }
    }

    /// <summary>Reads changes until one of <paramref name="lastId"/> arrives; the test's token bounds the wait.</summary>
    private static async Task<List<ContextChange>> ReadUntilAsync(ContextChangeSubscription subscription, string lastId)
    {
        var seen = new List<ContextChange>();
        await foreach (var change in subscription.ReadAllAsync(Ct))
        {
            seen.Add(change);
            if (change.ContextId == lastId)
            {
                break;
            }
        }

        return seen;
    }

    private static ContextContent Counter(long n) => ContextContent.Parse($$"""{"n":{{n}}}""");
}
