using System.Net;
using System.Text.Json;

namespace Acorn.Server.Tests;

/// <summary>The OpenAPI document, the API page, /healthz and /metrics.</summary>
public sealed class DocumentationRoutesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_describes_every_route_of_the_contract()
    {
        using var client = server.CreateClient(key: null);

        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        (string Path, string Method)[] contract =
        [
            ("/contexts", "post"), ("/contexts", "get"), ("/contexts/{id}", "get"), ("/contexts/{id}", "put"), ("/contexts/{id}", "patch"), ("/contexts/{id}", "delete"),
            ("/contexts/{id}/recovery-points", "post"), ("/contexts/{id}/recovery-points", "get"),
            ("/contexts/{id}/recovery-points/{rpId}/restore", "post"), ("/contexts/{id}/events", "get"), ("/events", "get"),
            ("/plugins", "get"), ("/plugins/{id}", "get"), ("/plugins/{id}/load", "post"), ("/plugins/{id}/unload", "post"),
            ("/plugins/{id}/reload", "post"),
        ];
        foreach (var (path, method) in contract)
        {
            Assert.True(paths.TryGetValue(path, out var item) && item.TryGetProperty(method, out _), $"The document lacks {method} {path}.");
        }
    }

    [Fact]
    public async Task The_openapi_document_lists_both_patch_media_types_and_every_status_of_patch()
    {
        using var client = server.CreateClient(key: null);

        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync();

        var patch = document.GetProperty("paths").GetProperty("/contexts/{id}").GetProperty("patch");
        var mediaTypes = patch.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["application/json-patch+json", "application/merge-patch+json"], mediaTypes);
        var statuses = patch.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["200", "400", "404", "409", "412", "413", "415", "422"], statuses);
    }

    [Fact]
    public async Task The_api_page_serves_html()
    {
        using var client = server.CreateClient(key: null);

        var response = await client.GetAsync("/api", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_dashboard_is_served_with_a_content_security_policy_that_allows_only_its_own_origin()
    {
        using var client = server.CreateClient(key: null);

        var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_reports_storage_and_plugins()
    {
        using var client = server.CreateClient(key: null);

        var health = await (await client.GetAsync("/healthz", Ct)).ReadJsonAsync();

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("plugins").GetProperty("status").GetString());
        Assert.EndsWith("contexts loaded", health.GetProperty("checks").GetProperty("contexts").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_live_runs_no_check_and_ready_runs_the_readiness_checks()
    {
        using var client = server.CreateClient(key: null);

        var live = await client.GetAsync("/healthz/live", Ct);
        var ready = await client.GetAsync("/healthz/ready", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
        var liveBody = await live.ReadJsonAsync();
        Assert.Equal("Healthy", liveBody.GetProperty("status").GetString());
        Assert.Empty(liveBody.GetProperty("checks").EnumerateObject());
        Assert.Equal(
            ["contexts", "plugins", "storage"],
            (await ready.ReadJsonAsync()).GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Metrics_expose_context_operations_and_turn_waits_in_prometheus_text_under_the_service_name_acorn()
    {
        using var client = server.CreateClient();
        await client.CreateAsync(Http.UniqueId("metrics"));

        var text = await client.GetStringAsync("/metrics", Ct);

        Assert.Contains("acorn_contexts_operation_duration_seconds_bucket", text, StringComparison.Ordinal);

        // Seconds need sub-second buckets: with OpenTelemetry's millisecond defaults every operation lands under le="5".
        Assert.Matches(@"acorn_contexts_operation_duration_seconds_bucket\{[^}]*le=""0\.001""", text);
        Assert.Contains("acorn_contexts_turn_wait_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);

        // The OpenTelemetry resource names the service (the issue found unknown_service:dotnet here).
        Assert.Matches(@"target_info\{[^}]*service_name=""acorn""", text);
    }

    [Fact]
    public async Task Dashboard_stats_report_the_last_seconds_of_operations()
    {
        using var client = server.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            await client.CreateAsync(Http.UniqueId("stats"));
        }

        JsonElement samples;
        do
        {
            await Task.Delay(250, Ct);
            samples = (await (await client.GetAsync("/dashboard/stats", Ct)).ReadJsonAsync()).GetProperty("items");
        }
        while (samples.EnumerateArray().Sum(s => s.GetProperty("operations").GetInt64()) < 20);

        var busy = samples.EnumerateArray().First(s => s.GetProperty("operations").GetInt64() > 0);
        Assert.True(busy.GetProperty("p99Milliseconds").GetDouble() >= busy.GetProperty("p50Milliseconds").GetDouble());
        Assert.True(busy.GetProperty("p50Milliseconds").GetDouble() > 0);
    }
}
