using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Server.Tests;

/// <summary>Every <c>/contexts</c> route and status code of the contract, over real HTTP.</summary>
public sealed class ContextRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_returns_201_with_state_etag_and_location()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("create");

        var response = await client.PostAsync("/contexts", Http.Json($$$"""{"id":"{{{id}}}","data":{"n":1},"metadata":{"owner":"ann"}}"""), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/contexts/{id}", response.Headers.Location?.OriginalString);
        var state = await response.ReadJsonAsync();
        Assert.Equal(id, state.GetProperty("id").GetString());

        // 1 on a store that never deleted anything; above every deleted version otherwise (other tests here delete).
        var version = state.GetProperty("version").GetInt64();
        Assert.True(version >= 1, $"created at version {version}");
        Assert.Equal(Http.ETagOf(version), response.ETag());
        Assert.Equal(1, state.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("ann", state.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.True(state.TryGetProperty("createdAt", out _));
        Assert.True(state.TryGetProperty("updatedAt", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, state.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task Create_of_an_existing_id_is_409_and_changes_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("dup");
        await client.CreateAsync(id, """{"first":true}""");

        var response = await client.CreateAsync(id, """{"first":false}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(id, (await response.ReadProblemAsync()).GetProperty("contextId").GetString());
        var current = await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.True(current.GetProperty("data").GetProperty("first").GetBoolean());
    }

    [Theory]
    [InlineData("""{"id":"bad id","data":{}}""", "id")]
    [InlineData("""{"id":".hidden","data":{}}""", "id")]
    [InlineData("""{"data":{}}""", "id")]
    [InlineData("""{"id":7,"data":{}}""", "id")]
    [InlineData("""{"id":"ok-id","data":[1,2]}""", "data")]
    [InlineData("""{"id":"ok-id","data":{},"metadata":{"n":1}}""", "metadata.n")]
    [InlineData("""{"id":"ok-id","dat":{}}""", "dat")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("""{"id":"ok-id",""", "body")]
    public async Task Create_with_a_bad_body_is_400_naming_the_field(string body, string field)
    {
        using var client = server.CreateClient();

        var response = await client.PostAsync("/contexts", Http.Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/contexts/ok-id", Ct)).StatusCode);
    }

    [Fact]
    public async Task Create_with_another_media_type_is_415()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("media");

        var response = await client.PostAsync("/contexts", new StringContent($$"""{"id":"{{id}}"}""", System.Text.Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await response.ReadProblemAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_and_creates_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("huge");
        var huge = new string('x', 2 * 1024 * 1024);

        // With 100-continue the client waits for the server's answer before it sends the body: the 413 arrives whole,
        // instead of racing the server's close of a connection the client is still writing to.
        client.DefaultRequestHeaders.ExpectContinue = true;
        var response = await client.PostAsync("/contexts", Http.Json($$$"""{"id":"{{{id}}}","data":{"blob":"{{{huge}}}"}}"""), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1024 * 1024, (await response.ReadProblemAsync()).GetProperty("limit").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_400()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("deep");
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);

        var response = await client.PostAsync("/contexts", Http.Json($$"""{"id":"{{id}}","data":{{deep}}}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("body", (await response.ReadProblemAsync()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Get_returns_state_with_etag_or_404()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("get");
        var created = await client.CreateAsync(id, """{"x":"y"}""");

        var found = await client.GetAsync($"/contexts/{id}", Ct);
        var missing = await client.GetAsync($"/contexts/{Http.UniqueId("missing")}", Ct);
        var invalid = await client.GetAsync("/contexts/bad%20id", Ct);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(created.ETag(), found.ETag());
        Assert.Equal("y", (await found.ReadJsonAsync()).GetProperty("data").GetProperty("x").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.NotNull((await missing.ReadProblemAsync()).GetProperty("contextId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("id", (await invalid.ReadProblemAsync()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task List_pages_in_id_order_with_next()
    {
        using var client = server.CreateClient();
        var prefix = $"page-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in ids)
        {
            await client.CreateAsync(id);
        }

        var seen = new List<string>();
        string? after = prefix;
        while (true)
        {
            var page = await (await client.GetAsync($"/contexts?limit=2&after={after}", Ct)).ReadJsonAsync();
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.InRange(items.Count, 0, 2);
            seen.AddRange(items.Where(i => i.StartsWith(prefix, StringComparison.Ordinal)));
            if (page.GetProperty("next").ValueKind == System.Text.Json.JsonValueKind.Null || !items.All(i => i.StartsWith(prefix, StringComparison.Ordinal)))
            {
                break;
            }

            after = page.GetProperty("next").GetString();
            Assert.Equal(items[^1], after);
        }

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task List_with_a_prefix_returns_only_its_ids_and_counts_the_whole_store()
    {
        using var client = server.CreateClient();
        var tenant = $"tenant-{Guid.NewGuid():N}";
        string[] ids = [$"{tenant}:a", $"{tenant}:b", $"{tenant}:c", $"{tenant}x"];
        foreach (var id in ids)
        {
            await client.CreateAsync(id);
        }

        var first = await (await client.GetAsync($"/contexts?limit=2&prefix={tenant}:", Ct)).ReadJsonAsync();
        var second = await (await client.GetAsync($"/contexts?limit=2&prefix={tenant}:&after={first.GetProperty("next").GetString()}", Ct)).ReadJsonAsync();
        var everything = await server.App.Services.GetRequiredService<Acorn.Contexts.IContextManager>().CountAsync(Ct);

        Assert.Equal(ids[..2], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(ids[2..3], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(everything, second.GetProperty("count").GetInt32());
        Assert.True(everything >= ids.Length);
    }

    [Theory]
    [InlineData("a%2Fb")]
    [InlineData(".hidden")]
    [InlineData("a%0D%0Aforged")]
    public async Task List_with_a_prefix_no_id_can_start_with_is_400(string prefix)
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync($"/contexts?prefix={prefix}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("prefix", problem.GetProperty("field").GetString());
        Assert.DoesNotContain('\r', problem.GetProperty("detail").GetString()!);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task List_with_a_bad_limit_is_400(string limit)
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync($"/contexts?limit={limit}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", (await response.ReadProblemAsync()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_replaces_data_and_bumps_the_version()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("put");
        var created = (await client.CreateAsync(id, """{"n":1}""")).Version();

        var response = await client.PutAsync(id, """{"n":2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Http.ETagOf(created + 1), response.ETag());
        var state = await response.ReadJsonAsync();
        Assert.Equal(created + 1, state.GetProperty("version").GetInt64());
        Assert.Equal(2, state.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Put_with_a_matching_if_match_succeeds_and_a_stale_one_is_412_and_changes_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("cas");
        var created = await client.CreateAsync(id, """{"n":1}""");
        var v = created.Version();

        var first = await client.PutAsync(id, """{"n":2}""", ifMatch: created.ETag());
        var stale = await client.PutAsync(id, """{"n":99}""", ifMatch: created.ETag());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.ReadProblemAsync();
        Assert.Equal(v, problem.GetProperty("expectedVersion").GetInt64());
        Assert.Equal(v + 1, problem.GetProperty("actualVersion").GetInt64());
        var current = await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(v + 1, current.GetProperty("version").GetInt64());
        Assert.Equal(2, current.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("W/\"{version}\"")]
    [InlineData("\"one\"")]
    public async Task Put_with_an_if_match_that_can_never_match_is_412(string ifMatch)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("weak");
        var created = (await client.CreateAsync(id, """{"n":1}""")).Version();

        var response = await client.PutAsync(id, """{"n":2}""", ifMatch.Replace("{version}", $"{created}", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(created, (await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_if_match_star_or_absent_is_unconditional_and_put_of_a_missing_context_is_404()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("star");
        await client.CreateAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(id, """{"n":2}""", ifMatch: "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(Http.UniqueId("nothing"), """{"n":2}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(Http.UniqueId("nothing"), """{"n":2}""", ifMatch: "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_a_stale_if_match_is_412()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("delete");
        var created = await client.CreateAsync(id);
        var updated = await client.PutAsync(id, """{"n":2}""");

        var stale = await client.DeleteAsync(id, ifMatch: created.ETag());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);

        var deleted = await client.DeleteAsync(id, ifMatch: updated.ETag());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(id, ifMatch: null)).StatusCode);
    }

    [Fact]
    public async Task An_etag_kept_from_a_deleted_context_is_412_on_the_context_created_again()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("again");
        var first = await client.CreateAsync(id, """{"n":1}""");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(id, ifMatch: first.ETag())).StatusCode);

        var second = await client.CreateAsync(id, """{"n":2}""");

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(second.Version() > first.Version(), $"created again with ETag {second.ETag()} after {first.ETag()} was deleted");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.PutAsync(id, """{"n":99}""", ifMatch: first.ETag())).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.PatchAsync(id, Http.MergePatch, """{"n":99}""", ifMatch: first.ETag())).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.DeleteAsync(id, ifMatch: first.ETag())).StatusCode);
        var current = await client.GetAsync($"/contexts/{id}", Ct);
        Assert.Equal(second.ETag(), current.ETag());
        Assert.Equal(2, (await current.ReadJsonAsync()).GetProperty("data").GetProperty("n").GetInt32());
    }
}
