using System.Net;

namespace Acorn.Server.Tests;

/// <summary>Bearer API keys: none, wrong, read-only on a write; and the routes that need no key.</summary>
public sealed class AuthTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/contexts")]
    [InlineData("GET", "/contexts/some-id")]
    [InlineData("POST", "/contexts")]
    [InlineData("PUT", "/contexts/some-id")]
    [InlineData("PATCH", "/contexts/some-id")]
    [InlineData("DELETE", "/contexts/some-id")]
    [InlineData("GET", "/contexts/some-id/recovery-points")]
    [InlineData("POST", "/contexts/some-id/recovery-points")]
    [InlineData("POST", "/contexts/some-id/recovery-points/1/restore")]
    [InlineData("GET", "/contexts/some-id/events")]
    [InlineData("GET", "/events")]
    [InlineData("GET", "/plugins")]
    [InlineData("GET", "/plugins/some-plugin")]
    [InlineData("POST", "/plugins/some-plugin/load")]
    [InlineData("GET", "/dashboard/stats")]
    public async Task Every_api_route_is_401_without_a_key_or_with_a_wrong_one(string method, string path)
    {
        using var anonymous = server.CreateClient(key: null);
        using var wrong = server.CreateClient(key: "not-the-key");

        foreach (var client in new[] { anonymous, wrong })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.Json("{}") }, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            await response.ReadProblemAsync();
        }
    }

    [Fact]
    public async Task A_read_only_key_reads_but_a_write_is_403_and_changes_nothing()
    {
        using var admin = server.CreateClient();
        using var reader = server.CreateClient(ServerFixture.ReadKey);
        var id = Http.UniqueId("readonly");
        await admin.CreateAsync(id, """{"n":1}""");

        var read = await reader.GetAsync($"/contexts/{id}", Ct);
        var write = await reader.PutAsync(id, """{"n":2}""");
        var create = await reader.CreateAsync(Http.UniqueId("readonly"));
        var delete = await reader.DeleteAsync(id, ifMatch: null);
        var patch = await reader.PatchAsync(id, Http.MergePatch, """{"n":3}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        await write.ReadProblemAsync();
        Assert.Equal(1, (await (await admin.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_401_with_a_reason()
    {
        using var client = server.CreateClient(key: null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Basic {ServerFixture.AdminKey}");

        var response = await client.GetAsync("/contexts", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", (await response.ReadProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthz", "application/json")]
    [InlineData("/", "text/html")]
    [InlineData("/openapi/v1.json", "application/json")]
    [InlineData("/metrics", "text/plain")]
    public async Task Health_dashboard_shell_openapi_and_metrics_need_no_key(string path, string mediaType)
    {
        using var anonymous = server.CreateClient(key: null);

        var response = await anonymous.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
