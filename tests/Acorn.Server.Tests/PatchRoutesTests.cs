using System.Net;
using System.Text.Json;

namespace Acorn.Server.Tests;

/// <summary><c>PATCH /contexts/{id}</c> over real HTTP: every status of the contract, and that a refused patch changes nothing.</summary>
public sealed class PatchRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Merge_patch_is_200_with_the_new_state_and_its_etag_and_keeps_the_metadata()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("merge");
        var created = await client.PostAsync("/contexts", Http.Json($$$"""{"id":"{{{id}}}","data":{"a":1,"b":{"c":2}},"metadata":{"owner":"ann"}}"""), Ct);
        var version = (await created.ReadJsonAsync()).GetProperty("version").GetInt64();

        var response = await client.PatchAsync(id, Http.MergePatch, """{"a":null,"b":{"d":3},"e":"new"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Http.ETagOf(version + 1), response.ETag());
        var state = await response.ReadJsonAsync();
        Assert.Equal(version + 1, state.GetProperty("version").GetInt64());
        Assert.Equal("""{"b":{"c":2,"d":3},"e":"new"}""", state.GetProperty("data").GetRawText());
        Assert.Equal("ann", state.GetProperty("metadata").GetProperty("owner").GetString());
        var read = await client.GetAsync($"/contexts/{id}", Ct);
        Assert.Equal((Http.ETagOf(version + 1), state.GetProperty("data").GetRawText()), (read.ETag(), (await read.ReadJsonAsync()).GetProperty("data").GetRawText()));
    }

    [Fact]
    public async Task Json_patch_is_200_and_applies_its_operations_in_order_with_a_charset_parameter_too()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("jsonpatch");
        await client.CreateAsync(id, """{"list":[1],"n":1}""");

        var response = await client.PatchAsync(
            id,
            Http.JsonPatch,
            """[{"op":"test","path":"/n","value":1},{"op":"add","path":"/list/-","value":2},{"op":"replace","path":"/n","value":2}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json-patch+json; charset=utf-8", response.RequestMessage!.Content!.Headers.ContentType!.ToString());
        Assert.Equal("""{"list":[1,2],"n":2}""", (await response.ReadJsonAsync()).GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Patch_of_an_unknown_id_is_404_and_creates_nothing()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("missing");

        var response = await client.PatchAsync(id, Http.MergePatch, """{"n":1}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(id, (await response.ReadProblemAsync()).GetProperty("contextId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contexts/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Patch_with_a_stale_if_match_is_412_and_changes_nothing_and_a_current_one_succeeds()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("ifmatch");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");
        await client.PutAsync(id, """{"n":2}""");

        var stale = await client.PatchAsync(id, Http.MergePatch, """{"n":99}""", ifMatch: Http.ETagOf(version));
        var current = await client.PatchAsync(id, Http.MergePatch, """{"n":3}""", ifMatch: Http.ETagOf(version + 1));

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.ReadProblemAsync();
        Assert.Equal((version, version + 1), (problem.GetProperty("expectedVersion").GetInt64(), problem.GetProperty("actualVersion").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(Http.ETagOf(version + 2), current.ETag());
        Assert.Equal(3, (await current.ReadJsonAsync()).GetProperty("data").GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/x","value":1},{"op":"test","path":"/n","value":2}]""", 1, "test", "/n")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", 0, "remove", "/missing")]
    [InlineData("""[{"op":"replace","path":"/list/5","value":1}]""", 0, "replace", "/list/5")]
    [InlineData("""[{"op":"move","from":"/nowhere","path":"/n"}]""", 0, "move", "/nowhere")]
    public async Task An_operation_that_cannot_apply_is_409_naming_its_index_and_path_and_changes_nothing(
        string patch, int operation, string op, string path)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("failed");
        var version = await client.CreatedVersionAsync(id, """{"n":1,"list":[1]}""");

        var response = await client.PatchAsync(id, Http.JsonPatch, patch);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal((operation, op, path, id), (
            problem.GetProperty("operation").GetInt32(),
            problem.GetProperty("op").GetString(),
            problem.GetProperty("path").GetString(),
            problem.GetProperty("contextId").GetString()));
        await AssertUnchangedAsync(client, id, version, """{"n":1,"list":[1]}""");
    }

    public static TheoryData<string, string, string, string> OverTheLimits => new()
    {
        // 600 KiB copied once: 1.2 MiB, over the server's 1 MiB data limit.
        { $$"""{"blob":"{{new string('x', 600 * 1024)}}"}""", Http.JsonPatch, """[{"op":"copy","from":"/blob","path":"/again"}]""", "1048576" },
        // 40 levels copied 40 levels down: 80, over the limit of 64.
        { Nested(40), Http.JsonPatch, $$"""[{"op":"copy","from":"/x","path":"/x{{string.Concat(Enumerable.Repeat("/a", 39))}}/copy"}]""", "64" },
        { """{"n":1}""", Http.MergePatch, "[1,2]", "an array" },
    };

    [Theory]
    [MemberData(nameof(OverTheLimits))]
    public async Task A_patch_whose_result_breaks_the_data_limits_is_422_and_changes_nothing(string data, string mediaType, string patch, string named)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("limits");
        var version = await client.CreatedVersionAsync(id, data);

        var response = await client.PatchAsync(id, mediaType, patch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal(("data", id), (problem.GetProperty("field").GetString(), problem.GetProperty("contextId").GetString()));
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertUnchangedAsync(client, id, version, data);
    }

    [Theory]
    [InlineData(Http.JsonPatch, """{"op":"add","path":"/a","value":1}""", null)]
    [InlineData(Http.JsonPatch, """[{"op":"add","path":"/a","value":1},{"op":"spam","path":"/a"}]""", 1)]
    [InlineData(Http.JsonPatch, """[{"op":"remove","path":"no-slash"}]""", 0)]
    [InlineData(Http.JsonPatch, """[{"op":"add","path":"/a"}]""", 0)]
    [InlineData(Http.MergePatch, """{"a":1,"a":2}""", null)]
    public async Task A_malformed_patch_document_is_400_naming_the_operation_and_changes_nothing(string mediaType, string patch, int? operation)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("malformed");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");

        var response = await client.PatchAsync(id, mediaType, patch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Equal(operation, problem.GetProperty("operation").ValueKind == JsonValueKind.Null ? null : problem.GetProperty("operation").GetInt32());
        await AssertUnchangedAsync(client, id, version, """{"n":1}""");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400_and_one_over_the_size_limit_is_413()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("body");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");

        var notJson = await client.PatchAsync(id, Http.MergePatch, """{"n":""");

        // With 100-continue the client waits for the server's answer before it sends the body: the 413 arrives whole,
        // instead of racing the server's close of a connection the client is still writing to.
        client.DefaultRequestHeaders.ExpectContinue = true;
        var huge = await client.PatchAsync(id, Http.MergePatch, $$"""{"blob":"{{new string('x', 2 * 1024 * 1024)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("body", (await notJson.ReadProblemAsync()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(1024 * 1024, (await huge.ReadProblemAsync()).GetProperty("limit").GetInt64());
        await AssertUnchangedAsync(client, id, version, """{"n":1}""");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/merge-patch")]
    public async Task Any_other_media_type_is_415_with_the_accepted_ones_and_changes_nothing(string mediaType)
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("media");
        var version = await client.CreatedVersionAsync(id, """{"n":1}""");

        var response = await client.PatchAsync(id, mediaType, """{"n":2}""");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/merge-patch+json, application/json-patch+json", response.Headers.GetValues("Accept-Patch").Single());
        await response.ReadProblemAsync();
        await AssertUnchangedAsync(client, id, version, """{"n":1}""");
    }

    [Fact]
    public async Task Concurrent_merge_patches_of_distinct_fields_from_many_clients_all_land()
    {
        const int clients = 16;
        const int patchesPerClient = 10;
        using var setup = server.CreateClient();
        var id = Http.UniqueId("shared");
        var version = await setup.CreatedVersionAsync(id);
        using var start = new Barrier(clients);

        var statuses = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            start.SignalAndWait(Ct);
            var codes = new List<HttpStatusCode>();
            for (var i = 1; i <= patchesPerClient; i++)
            {
                codes.Add((await client.PatchAsync(id, Http.MergePatch, $$"""{"c{{c}}":{{i}}}""")).StatusCode);
            }

            return codes;
        }, Ct)));

        Assert.All(statuses.SelectMany(s => s), status => Assert.Equal(HttpStatusCode.OK, status));
        var final = await (await setup.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(version + (clients * patchesPerClient), final.GetProperty("version").GetInt64());
        for (var c = 0; c < clients; c++)
        {
            Assert.Equal(patchesPerClient, final.GetProperty("data").GetProperty($"c{c}").GetInt32());
        }
    }

    private static string Nested(int levels) =>
        "{\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1) + "}";

    private static async Task AssertUnchangedAsync(HttpClient client, string id, long version, string data)
    {
        var state = await (await client.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(version, state.GetProperty("version").GetInt64());
        Assert.Equal(data, state.GetProperty("data").GetRawText());
    }
}
