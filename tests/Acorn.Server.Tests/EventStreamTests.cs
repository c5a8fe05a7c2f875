namespace Acorn.Server.Tests;

/// <summary>Server-sent change events: delivery in order, per-context filtering, heartbeats and Last-Event-ID resume.</summary>
public sealed class EventStreamTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_context_stream_delivers_its_changes_in_order_with_kind_and_version()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("sse");
        var other = Http.UniqueId("sse-other");
        await using var stream = await SseReader.OpenAsync(client, $"/contexts/{id}/events");

        var created = (await client.CreateAsync(id, """{"n":1}""")).Version();
        await client.CreateAsync(other);
        await client.PutAsync(id, """{"n":2}""");
        var point = await (await client.PostAsync($"/contexts/{id}/recovery-points", null, Ct)).ReadJsonAsync();
        await client.PutAsync(id, """{"n":3}""");
        await client.PostAsync($"/contexts/{id}/recovery-points/{point.GetProperty("id").GetInt64()}/restore", null, Ct);
        await client.DeleteAsync(id, ifMatch: null);

        (string Kind, long Version)[] expected = [("created", 0), ("updated", 1), ("updated", 2), ("restored", 3), ("deleted", 3)];
        foreach (var (kind, after) in expected)
        {
            var e = await stream.NextAsync();
            Assert.Equal(kind, e.Name);
            Assert.Equal(kind, e.Json.GetProperty("kind").GetString());
            Assert.Equal(id, e.Json.GetProperty("contextId").GetString());
            Assert.Equal(created + after, e.Json.GetProperty("version").GetInt64());
            Assert.NotNull(e.Id);
        }
    }

    [Fact]
    public async Task The_all_contexts_stream_sees_every_context_and_carries_the_new_state()
    {
        using var client = server.CreateClient();
        var ids = Enumerable.Range(0, 3).Select(_ => Http.UniqueId("all")).ToList();
        await using var stream = await SseReader.OpenAsync(client, "/events");

        foreach (var id in ids)
        {
            await client.CreateAsync(id, """{"made":true}""");
        }

        var seen = new List<string>();
        while (seen.Count < ids.Count)
        {
            var e = await stream.NextAsync();
            var contextId = e.Json.GetProperty("contextId").GetString()!;
            if (ids.Contains(contextId))
            {
                Assert.True(e.Json.GetProperty("state").GetProperty("data").GetProperty("made").GetBoolean());
                seen.Add(contextId);
            }
        }

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task An_idle_stream_sends_heartbeats()
    {
        using var client = server.CreateClient();
        await using var stream = await SseReader.OpenAsync(client, $"/contexts/{Http.UniqueId("idle")}/events");

        await stream.WaitForCommentAsync(TimeSpan.FromSeconds(10));
        await stream.WaitForCommentAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, stream.Comments);
    }

    [Fact]
    public async Task Reconnecting_with_last_event_id_replays_exactly_the_missed_changes()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("resume");
        string lastId;
        long created;
        await using (var first = await SseReader.OpenAsync(client, $"/contexts/{id}/events"))
        {
            created = (await client.CreateAsync(id, """{"n":1}""")).Version();
            await client.PutAsync(id, """{"n":2}""");
            Assert.Equal(created, (await first.NextAsync()).Json.GetProperty("version").GetInt64());
            var second = await first.NextAsync();
            Assert.Equal(created + 1, second.Json.GetProperty("version").GetInt64());
            lastId = second.Id!;
        }

        for (var n = 3; n <= 6; n++)
        {
            await client.PutAsync(id, $$"""{"n":{{n}}}""");
        }

        await using var resumed = await SseReader.OpenAsync(client, $"/contexts/{id}/events", lastId);
        await client.PutAsync(id, """{"n":7}""");
        for (var after = 2; after <= 6; after++)
        {
            var e = await resumed.NextAsync();
            Assert.Equal("updated", e.Name);
            Assert.Equal(created + after, e.Json.GetProperty("version").GetInt64());
        }
    }

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("0badc0de-1")]
    public async Task A_last_event_id_the_server_does_not_hold_gets_a_reset_first(string lastEventId)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("reset");
        await using var stream = await SseReader.OpenAsync(client, $"/contexts/{id}/events", lastEventId);

        var reset = await stream.NextAsync();
        await client.CreateAsync(id);
        var created = await stream.NextAsync();

        Assert.Equal("reset", reset.Name);
        Assert.False(string.IsNullOrEmpty(reset.Json.GetProperty("reason").GetString()));
        Assert.Equal("created", created.Name);
    }

    [Fact]
    public async Task A_stream_for_an_invalid_id_is_400()
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync("/contexts/bad%20id/events", Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("id", (await response.ReadProblemAsync()).GetProperty("field").GetString());
    }
}
