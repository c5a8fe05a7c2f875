using System.Net;
using System.Text.Json;

namespace Acorn.Server.Tests;

/// <summary>A server started with four real plugins in its plugins folder: hello, greeter (needs hello), one that throws and one that leaks its context.</summary>
public sealed class PluginServerFixture : ServerFixture
{
    public PluginServerFixture()
    {
        ExtraArguments.Add("--Acorn:Plugins:Grants:test.hello=contexts.read");
        foreach (var plugin in new[] { "Hello", "Greeter", "ThrowsOnInitialize", "Leaky" })
        {
            CopyDirectory(
                Path.Combine(AppContext.BaseDirectory, "test-plugins", $"Acorn.TestPlugins.{plugin}"),
                Path.Combine(DataPath, "plugins", plugin.ToLowerInvariant()));
        }
    }

    public static void CopyDirectory(string source, string target)
    {
        Assert.True(Directory.Exists(source), $"The test build did not lay out {source}.");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}

/// <summary><c>/plugins</c> over real HTTP with real plugin assemblies, loaded at start by the server's hosted service.</summary>
public sealed class PluginRoutesTests(PluginServerFixture server) : IClassFixture<PluginServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plugins_load_at_start_unload_refuses_active_dependents_and_cascade_load_and_reload_work()
    {
        using var client = server.CreateClient();

        var statuses = await StatusesAsync(client);
        Assert.Equal("active", statuses["test.hello"]);
        Assert.Equal("active", statuses["test.greeter"]);
        Assert.Equal("failed", statuses["test.throws"]);

        var refused = await client.PostAsync("/plugins/test.hello/unload", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.ReadProblemAsync();
        Assert.Equal(["test.greeter"], problem.GetProperty("dependents").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("active", (await StatusesAsync(client))["test.hello"]);

        var cascaded = await client.PostAsync("/plugins/test.hello/unload?cascade=true", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, cascaded.StatusCode);
        Assert.Equal("/plugins/test.hello", cascaded.Headers.Location?.OriginalString);
        Assert.Equal("stopped", (await cascaded.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("unloaded", await EventualStatusAsync(client, "test.hello"));
        Assert.Equal("unloaded", await EventualStatusAsync(client, "test.greeter"));

        var loaded = await client.PostAsync("/plugins/test.greeter/load", null, Ct);
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal("active", (await loaded.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("active", (await StatusesAsync(client))["test.hello"]);

        var reloaded = await client.PostAsync("/plugins/test.greeter/reload", null, Ct);
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        Assert.Equal("active", (await reloaded.ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_plugin_that_fails_to_load_is_409_with_its_reason_and_makes_health_degraded()
    {
        using var client = server.CreateClient();

        var response = await client.PostAsync("/plugins/test.throws/load", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("test.throws", problem.GetProperty("pluginId").GetString());
        Assert.Equal("failed", problem.GetProperty("plugin").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("plugin").GetProperty("reason").GetString()));
        var health = await (await client.GetAsync("/healthz", Ct)).ReadJsonAsync();
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("plugins").GetProperty("status").GetString());
        Assert.Contains("test.throws", health.GetProperty("checks").GetProperty("plugins").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_plugin_reads_with_its_manifest_and_an_unknown_id_is_404()
    {
        using var client = server.CreateClient(ServerFixture.ReadKey);

        var hello = await (await client.GetAsync("/plugins/test.hello", Ct)).ReadJsonAsync();
        var missing = await client.GetAsync("/plugins/nobody", Ct);
        var write = await client.PostAsync("/plugins/test.hello/unload", null, Ct);

        Assert.Equal("Hello", hello.GetProperty("name").GetString());
        Assert.Equal("1.2.0", hello.GetProperty("version").GetString());
        Assert.Equal(["contexts.read"], hello.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("nobody", (await missing.ReadProblemAsync()).GetProperty("pluginId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task Unload_answers_202_before_the_collection_check_and_a_leak_shows_on_get_and_survives_a_reload()
    {
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/plugins/test.leaky/load", null, Ct)).StatusCode);

        var unload = await client.PostAsync("/plugins/test.leaky/unload", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, unload.StatusCode);
        Assert.Equal("stopped", (await unload.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("failed", await EventualStatusAsync(client, "test.leaky"));
        var leaked = await (await client.GetAsync("/plugins/test.leaky", Ct)).ReadJsonAsync();
        Assert.StartsWith("its load context was not collected", leaked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(leaked.GetProperty("reason").GetString(), leaked.GetProperty("leak").GetString());

        var reloaded = await client.PostAsync("/plugins/test.leaky/load", null, Ct);
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        var active = await reloaded.ReadJsonAsync();
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal(leaked.GetProperty("leak").GetString(), active.GetProperty("leak").GetString());
        var health = await (await client.GetAsync("/healthz", Ct)).ReadJsonAsync();
        Assert.Contains("test.leaky (leaked an unloaded context)", health.GetProperty("checks").GetProperty("plugins").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_says_unload_answers_202_with_the_plugin()
    {
        using var client = server.CreateClient(key: null);

        var document = await (await client.GetAsync("/openapi/v1.json", Ct)).ReadJsonAsync();

        var responses = document.GetProperty("paths").GetProperty("/plugins/{id}/unload").GetProperty("post").GetProperty("responses");
        Assert.Equal(["202", "404", "409"], responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(responses.GetProperty("202").GetProperty("content").TryGetProperty("application/json", out _), "202 must carry the plugin body");
    }

    /// <summary>The plugin's status once it has left Stopped (the collection check runs after the unload answered); bounded at 30 s.</summary>
    private static async Task<string?> EventualStatusAsync(HttpClient client, string pluginId)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = (await (await client.GetAsync($"/plugins/{pluginId}", bound.Token)).ReadJsonAsync()).GetProperty("status").GetString();
            if (status != "stopped")
            {
                return status;
            }

            // Polling is all HTTP offers here: the outcome is only visible through GET.
            await Task.Delay(TimeSpan.FromMilliseconds(50), bound.Token);
        }
    }

    private static async Task<Dictionary<string, string>> StatusesAsync(HttpClient client)
    {
        var list = await (await client.GetAsync("/plugins", Ct)).ReadJsonAsync();
        return list.GetProperty("items").EnumerateArray().ToDictionary(
            p => p.GetProperty("id").GetString()!,
            p => p.GetProperty("status").GetString()!);
    }
}
