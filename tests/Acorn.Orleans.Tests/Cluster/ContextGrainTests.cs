using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>Create, read, compare-and-set, delete and recovery points through the context grain, on 2 silos.</summary>
/// <param name="cluster">The cluster and its storage server: each subclass picks one.</param>
public abstract class ContextGrainTests(ContextCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ContextGrainClient Contexts => cluster.Contexts;

    private static ContextContent Json(string json) => ContextContent.Parse(json);

    [Fact]
    public async Task Create_Then_Get_Returns_Version_1_With_The_Data()
    {
        var created = await Contexts.CreateAsync("crud-create", Json("""{"n":1}"""), Ct);
        var read = await Contexts.GetAsync("crud-create", Ct);

        Assert.Equal(1, created.Version);
        Assert.Equal(1, read.Version);
        Assert.Equal(1, read.Data.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Create_Twice_Conflicts_And_Keeps_The_First()
    {
        await Contexts.CreateAsync("crud-twice", Json("""{"n":1}"""), Ct);

        await Assert.ThrowsAsync<ContextAlreadyExistsException>(() => Contexts.CreateAsync("crud-twice", Json("""{"n":2}"""), Ct));
        Assert.Equal(1, (await Contexts.GetAsync("crud-twice", Ct)).Data.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Update_At_The_Expected_Version_Writes_The_Next_Version()
    {
        await Contexts.CreateAsync("cas-ok", Json("""{"n":1}"""), Ct);

        var updated = await Contexts.UpdateAsync("cas-ok", Json("""{"n":2}"""), expectedVersion: 1, Ct);

        Assert.Equal(2, updated.Version);
        Assert.Equal(2, (await Contexts.GetAsync("cas-ok", Ct)).Data.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Update_At_A_Stale_Version_Conflicts_And_Changes_Nothing()
    {
        await Contexts.CreateAsync("cas-stale", Json("""{"n":1}"""), Ct);
        await Contexts.UpdateAsync("cas-stale", Json("""{"n":2}"""), expectedVersion: 1, Ct);

        var conflict = await Assert.ThrowsAsync<ContextVersionConflictException>(
            () => Contexts.UpdateAsync("cas-stale", Json("""{"n":3}"""), expectedVersion: 1, Ct));

        Assert.Equal(2, conflict.ActualVersion);
        var read = await Contexts.GetAsync("cas-stale", Ct);
        Assert.Equal((2, 2), (read.Version, read.Data.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task Update_Of_A_Missing_Context_Is_Not_Found()
    {
        await Assert.ThrowsAsync<ContextNotFoundException>(() => Contexts.UpdateAsync("missing", Json("{}"), null, Ct));
        Assert.Null(await Contexts.FindAsync("missing", Ct));
    }

    [Fact]
    public async Task Delete_Removes_The_Context_And_An_Update_Does_Not_Bring_It_Back()
    {
        await Contexts.CreateAsync("del", Json("""{"n":1}"""), Ct);
        await Assert.ThrowsAsync<ContextVersionConflictException>(() => Contexts.DeleteAsync("del", expectedVersion: 5, Ct));

        var deleted = await Contexts.DeleteAsync("del", expectedVersion: 1, Ct);

        Assert.Equal(1, deleted.Version);
        await Assert.ThrowsAsync<ContextNotFoundException>(() => Contexts.GetAsync("del", Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(() => Contexts.UpdateAsync("del", Json("{}"), null, Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(() => Contexts.DeleteAsync("del", null, Ct));
        // Created again one version above the deleted one: version 1 of "del" names only the deleted state.
        Assert.Equal(2, (await Contexts.CreateAsync("del", Json("{}"), Ct)).Version);
    }

    [Fact]
    public async Task Bad_Input_Gets_Acorns_Errors()
    {
        await Assert.ThrowsAsync<InvalidContextIdException>(() => Contexts.CreateAsync("no spaces", Json("{}"), Ct));
        await Assert.ThrowsAsync<InvalidContextDataException>(() => Contexts.CreateAsync("bad-data", Json("[1]"), Ct));
        Assert.Null(await Contexts.FindAsync("bad-data", Ct));
    }

    [Fact]
    public async Task A_Write_Survives_Deactivation_Because_It_Was_Persisted_Before_The_Answer()
    {
        await Contexts.CreateAsync("durable", Json("""{"n":1}"""), Ct);
        await Contexts.UpdateAsync("durable", Json("""{"n":2}"""), 1, Ct);

        var grain = cluster.Cluster.Client.GetGrain<IContextGrain>("durable");
        await cluster.Cluster.DeactivateAsync(grain);
        var read = await Contexts.GetAsync("durable", Ct);

        Assert.Equal((2, 2), (read.Version, read.Data.GetProperty("n").GetInt32()));
        Assert.True(await cluster.CountStoredRecordsAsync("durable", Ct) > 0);
    }

    [Fact]
    public async Task Recovery_Points_Are_Bounded_Newest_First_And_Restore_Is_A_Write()
    {
        await Contexts.CreateAsync("rp", Json("""{"n":0}"""), Ct);
        for (var n = 1; n <= ContextCluster.MaxRecoveryPoints + 1; n++)
        {
            await Contexts.CreateRecoveryPointAsync("rp", Ct);
            await Contexts.UpdateAsync("rp", Json($$"""{"n":{{n}}}"""), null, Ct);
        }

        var points = await Contexts.ListRecoveryPointsAsync("rp", Ct);
        var restored = await Contexts.RestoreAsync("rp", points[^1].Id, expectedVersion: 5, Ct);

        Assert.Equal([4, 3, 2], points.Select(p => p.Version));
        Assert.Equal(points.Select(p => p.Id).OrderDescending(), points.Select(p => p.Id));
        Assert.Equal(6, restored.Version);
        Assert.Equal(1, restored.Data.GetProperty("n").GetInt32());
        await Assert.ThrowsAsync<RecoveryPointNotFoundException>(() => Contexts.RestoreAsync("rp", 999, null, Ct));
    }

    [Fact]
    public async Task Concurrent_Read_Modify_Write_Clients_Lose_No_Update()
    {
        const int Clients = 32;
        const int WritesEach = 3;
        await Contexts.CreateAsync("rmw", Json("""{"count":0}"""), Ct);

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                await Contexts.UpdateAsync("rmw", Increment, Ct);
            }
        }, Ct)));

        var final = await Contexts.GetAsync("rmw", Ct);
        Assert.Equal(1 + (Clients * WritesEach), final.Version);
        Assert.Equal(Clients * WritesEach, final.Data.GetProperty("count").GetInt32());
    }

    private static ContextContent Increment(ContextState state) =>
        new(JsonSerializer.SerializeToElement(new { count = state.Data.GetProperty("count").GetInt32() + 1 }));
}
