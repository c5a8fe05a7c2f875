using System.Net;
using Acorn.Contexts;
using Acorn.Server.Storage;

namespace Acorn.Server.Tests;

/// <summary>The server with <c>--store orleans</c>: the context routes work against a cluster, and a missing cluster stops the start.</summary>
public sealed class OrleansStoreTests(OrleansServerFixture server) : IClassFixture<OrleansServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_get_update_delete_go_through_the_cluster()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("orleans");

        var created = await client.CreateAsync(id, """{"n":1}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.ETag());

        var read = await client.GetAsync($"/contexts/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(1, (await read.ReadJsonAsync()).GetProperty("data").GetProperty("n").GetInt32());

        var updated = await client.PutAsync(id, """{"n":2}""", ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await updated.ReadJsonAsync()).GetProperty("version").GetInt64());
        var stale = await client.PutAsync(id, """{"n":3}""", ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        var deleted = await client.DeleteAsync(id, ifMatch: "\"2\"");
        Assert.True(deleted.IsSuccessStatusCode, $"DELETE returned {deleted.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Another_writer_s_changes_reach_the_server_s_event_stream()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("elsewhere");
        await using var stream = await SseReader.OpenAsync(client, $"/contexts/{id}/events");
        await using var other = server.CreateOtherWriter();

        await other.CreateAsync(id, ContextContent.Parse("""{"n":1}"""), Ct);
        await other.UpdateAsync(id, ContextContent.Parse("""{"n":2}"""), expectedVersion: 1, Ct);

        foreach (var (kind, version) in new[] { ("created", 1L), ("updated", 2L) })
        {
            var e = await stream.NextAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(kind, e.Name);
            Assert.Equal(version, e.Json.GetProperty("version").GetInt64());
        }
    }

    [Fact]
    public async Task Healthz_counts_the_active_silos()
    {
        using var client = server.CreateClient(key: null);

        var health = await (await client.GetAsync("/healthz", Ct)).ReadJsonAsync();

        Assert.Contains("1 active silos", health.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_fails_with_a_clear_message_when_no_silo_answers()
    {
        var data = Directory.CreateTempSubdirectory("acorn-server-").FullName;
        try
        {
            await using var app = AcornServerApplication.Create(
            [
                "--urls", "http://127.0.0.1:0", "--data", Path.Combine(data, "data"), "--plugins", Path.Combine(data, "plugins"),
                "--store", "orleans", $"--Acorn:Orleans:GatewayPort={OrleansServerFixture.FreePort()}",
                "--Acorn:Orleans:ConnectTimeout=00:00:02", "--Logging:LogLevel:Default=None",
            ]);

            var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() => app.StartAsync(Ct));

            Assert.Contains("Cannot reach the Orleans cluster 'acorn'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
