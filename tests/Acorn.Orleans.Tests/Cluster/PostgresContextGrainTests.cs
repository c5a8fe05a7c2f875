using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The context grain tests with PostgreSQL storage (Orleans' ADO.NET provider): the production recommendation.</summary>
public sealed class PostgresContextGrainTests(PostgresCluster cluster) : ContextGrainTests(cluster), IClassFixture<PostgresCluster>
{
    [Fact]
    public async Task A_Write_Racing_Another_Activation_Fails_On_The_ETag_And_Loses_Nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var contexts = cluster.Contexts;
        await contexts.CreateAsync("etag", ContextContent.Parse("""{"n":1}"""), ct);
        await cluster.WriteBehindTheGrainsBackAsync("etag", ct);

        var failure = await Assert.ThrowsAsync<ContextStoreException>(
            () => contexts.UpdateAsync("etag", ContextContent.Parse("""{"n":2}"""), expectedVersion: 1, ct));
        var afterFailure = await contexts.GetAsync("etag", ct);
        var retried = await contexts.UpdateAsync("etag", ContextContent.Parse("""{"n":2}"""), expectedVersion: 1, ct);

        Assert.Contains("not persisted", failure.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (afterFailure.Version, afterFailure.Data.GetProperty("n").GetInt32()));
        Assert.Equal((2, 2), (retried.Version, retried.Data.GetProperty("n").GetInt32()));
    }
}
