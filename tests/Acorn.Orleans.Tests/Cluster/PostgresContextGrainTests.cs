using Acorn.Contexts;
using Acorn.Orleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

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

    [Fact]
    public async Task A_State_Stored_In_Json_By_An_Earlier_Version_Is_Read_And_Rewritten_In_Binary()
    {
        var ct = TestContext.Current.CancellationToken;
        var contexts = cluster.Contexts;
        var created = await contexts.CreateAsync("json-era", ContextContent.Parse("""{"n":1}"""), ct);
        var silo = (InProcessSiloHandle)cluster.Cluster.Silos[0];

        // Orleans' default storage serializer (Newtonsoft JSON): what Acorn stored before it chose the binary one.
        var json = silo.ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var earlier = new ContextGrainState
        {
            Current = new ContextRecord
            {
                Id = "json-era", Version = 7, CreatedAt = created.CreatedAt, UpdatedAt = created.UpdatedAt, DataJson = """{"n":"from json"}""",
            },
            Changes = 7,
            Incarnation = 1,
            LastVersion = 7,
        };
        var binaryBefore = await cluster.StoredStateAsync("json-era", ct);
        await cluster.ReplaceStoredStateAsync("json-era", json.Serialize(earlier).ToArray(), ct);
        await cluster.Cluster.DeactivateAsync(cluster.Cluster.Client.GetGrain<IContextGrain>("json-era"));

        var read = await contexts.GetAsync("json-era", ct);
        var written = await contexts.UpdateAsync("json-era", ContextContent.Parse("""{"n":8}"""), expectedVersion: 7, ct);
        var stored = await cluster.StoredStateAsync("json-era", ct);

        Assert.NotEqual((byte)'{', binaryBefore[0]);
        Assert.Equal((7, "from json"), (read.Version, read.Data.GetProperty("n").GetString()));
        Assert.Equal(8, written.Version);
        Assert.NotEqual((byte)'{', stored[0]);
        Assert.True(stored.Length < json.Serialize(earlier).ToArray().Length, $"binary {stored.Length} bytes, JSON {json.Serialize(earlier).ToArray().Length}");
    }
}
