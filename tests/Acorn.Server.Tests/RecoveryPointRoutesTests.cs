using System.Net;

namespace Acorn.Server.Tests;

/// <summary><c>/contexts/{id}/recovery-points</c>: take, list newest first, restore as a write.</summary>
public sealed class RecoveryPointRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Points_are_listed_newest_first_and_a_restore_writes_version_plus_one()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("rp");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");

        var first = await client.PostAsync($"/contexts/{id}/recovery-points", null, Ct);
        await client.PutAsync(id, """{"n":2}""");
        var second = await client.PostAsync($"/contexts/{id}/recovery-points", null, Ct);
        await client.PutAsync(id, """{"n":3}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstPoint = await first.ReadJsonAsync();
        Assert.Equal(id, firstPoint.GetProperty("contextId").GetString());
        Assert.Equal(version, firstPoint.GetProperty("version").GetInt64());
        Assert.True(firstPoint.TryGetProperty("createdAt", out _));
        var list = await (await client.GetAsync($"/contexts/{id}/recovery-points", Ct)).ReadJsonAsync();
        var versions = list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("version").GetInt64()).ToList();
        Assert.Equal([version + 1, version], versions);
        Assert.Equal((await second.ReadJsonAsync()).GetProperty("id").GetInt64(), list.GetProperty("items")[0].GetProperty("id").GetInt64());

        var restored = await client.PostAsync($"/contexts/{id}/recovery-points/{firstPoint.GetProperty("id").GetInt64()}/restore", null, Ct);

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(Http.ETagOf(version + 3), restored.ETag());
        var state = await restored.ReadJsonAsync();
        Assert.Equal(version + 3, state.GetProperty("version").GetInt64());
        Assert.Equal(1, state.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Missing_context_or_point_is_404_and_a_bad_point_id_is_400()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("rp-missing");
        var version = await client.CreatedVersionAsync(id);

        var noContext = await client.PostAsync($"/contexts/{Http.UniqueId("nothing")}/recovery-points", null, Ct);
        var noContextList = await client.GetAsync($"/contexts/{Http.UniqueId("nothing")}/recovery-points", Ct);
        var noPoint = await client.PostAsync($"/contexts/{id}/recovery-points/987654/restore", null, Ct);
        var badPoint = await client.PostAsync($"/contexts/{id}/recovery-points/latest/restore", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, noContext.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noContextList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPoint.StatusCode);
        Assert.Equal(987654, (await noPoint.ReadProblemAsync()).GetProperty("recoveryPointId").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, badPoint.StatusCode);
        Assert.Equal("rpId", (await badPoint.ReadProblemAsync()).GetProperty("field").GetString());
        Assert.Equal(version, (await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_restore_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("rp-cas");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");
        var point = await (await client.PostAsync($"/contexts/{id}/recovery-points", null, Ct)).ReadJsonAsync();
        await client.PutAsync(id, """{"n":2}""");

        var request = new HttpRequestMessage(HttpMethod.Post, $"/contexts/{id}/recovery-points/{point.GetProperty("id").GetInt64()}/restore");
        request.Headers.TryAddWithoutValidation("If-Match", Http.ETagOf(version));
        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var current = await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(version + 1, current.GetProperty("version").GetInt64());
    }
}
