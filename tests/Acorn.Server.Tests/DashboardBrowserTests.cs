using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acorn.Server.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Acorn.Server.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium, headless) against the real server: the key prompt (wrong,
/// refused and read-only keys), the live context list fed by the event stream (resume and reset included), and a
/// restore and a patch applied from the page and checked through the API. Screenshots go to artifacts/ in the test output folder.
/// </summary>
public sealed partial class DashboardBrowserTests(ServerFixture server, DebianChromium chromium) : IClassFixture<ServerFixture>, IClassFixture<DebianChromium>
{
    private static readonly string ArtifactsPath = Path.Combine(AppContext.BaseDirectory, "artifacts");

    [Fact]
    public async Task Dashboard_ShowsApiChangesLive_AndRestoresARecoveryPointWithAClick()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        var id = $"browser-{Guid.NewGuid():N}"[..20];

        await page.GotoAsync(server.BaseAddress.ToString());
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(ServerFixture.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-prompt")).ToBeHiddenAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Live");

        // Created through the API: the row appears from the event stream.
        var created = await api.PostAsJsonAsync("/contexts",
            new { id, data = new { color = "red", count = 1 }, metadata = new Dictionary<string, string> { ["owner"] = "browser-test" } },
            cancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var row = page.Locator($"[data-testid='context-row'][data-context-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByTestId("context-version")).ToHaveTextAsync("1");
        await Expect(row.GetByTestId("context-expires")).ToHaveTextAsync("never");

        // Updated through the API (PUT replaces data and metadata): the version in the row follows.
        await PutAsync(api, id, new { color = "green", count = 2 }, cancellationToken);
        await Expect(row.GetByTestId("context-version")).ToHaveTextAsync("2");

        // Open it: data, metadata, no recovery points yet.
        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#detail-id")).ToHaveTextAsync(id);
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("2");
        await Expect(page.Locator("#context-data")).ToContainTextAsync("\"color\": \"green\"");
        await Expect(page.Locator("#detail-metadata")).ToContainTextAsync("browser-test");
        await Expect(page.Locator("#recovery-points-empty")).ToBeVisibleAsync();

        // A recovery point taken with the button, seen in the page and through the API.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create recovery point" }).ClickAsync();
        var points = page.GetByTestId("recovery-point");
        await Expect(points).ToHaveCountAsync(1);
        await Expect(page.Locator("#recovery-status")).ToContainTextAsync("of version 2");
        using (var listed = await GetJsonAsync(api, $"/contexts/{id}/recovery-points", cancellationToken))
        {
            var item = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(2, item.GetProperty("version").GetInt64());
        }

        // Changed through the API while open: the detail follows live.
        await PutAsync(api, id, new { color = "blue", count = 3 }, cancellationToken);
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("3");
        await Expect(page.Locator("#context-data")).ToContainTextAsync("\"color\": \"blue\"");
        await Expect(row.GetByTestId("context-version")).ToHaveTextAsync("3");

        // Restore with a click: the API has the recovery point's data at version current + 1.
        await points.First.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("4");
        await Expect(page.Locator("#context-data")).ToContainTextAsync("\"color\": \"green\"");
        await Expect(row.GetByTestId("context-version")).ToHaveTextAsync("4");
        await Expect(page.Locator("#recovery-status")).ToContainTextAsync("now at version 4");
        using (var restored = await GetJsonAsync(api, $"/contexts/{id}", cancellationToken))
        {
            Assert.Equal(4, restored.RootElement.GetProperty("version").GetInt64());
            var data = restored.RootElement.GetProperty("data");
            Assert.Equal("green", data.GetProperty("color").GetString());
            Assert.Equal(2, data.GetProperty("count").GetInt32());
        }

        // The charts have polled /dashboard/stats and counted the operations above; the plugin list has loaded.
        await Expect(page.Locator("#now-operations")).ToHaveTextAsync(Digits());
        await Expect(page.Locator("#chart-operations polyline")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-latency polyline")).ToHaveCountAsync(2);
        await Expect(page.Locator("#plugins-empty, [data-testid='plugin-row']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#error-banner")).ToBeHiddenAsync();

        await SaveScreenshotAsync(page, "dashboard.png");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task WrongKey_ShowsTheKeyPromptAgain_WithTheServersError()
    {
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        await page.GotoAsync(server.BaseAddress.ToString());
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

        await Expect(page.Locator("#key-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-error")).ToContainTextAsync("refused");
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("API key", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('acorn.apiKey')"));
        await SaveScreenshotAsync(page, "dashboard-wrong-key.png");

        // The right key then gets in, and "Forget key" sends the user back to the prompt with the key gone.
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(ServerFixture.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-error")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget key" }).ClickAsync();
        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('acorn.apiKey')"));
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task StoredKeyThatIsRefused_SendsTheUserBackToTheKeyPrompt()
    {
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.Context.AddInitScriptAsync("sessionStorage.setItem('acorn.apiKey', 'a-key-since-revoked')");

        await page.GotoAsync(server.BaseAddress.ToString());

        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-error")).ToContainTextAsync("refused");
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task KeyRefusedMidSession_SendsTheUserBackToTheKeyPrompt()
    {
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await OpenAndConnectAsync(page, ServerFixture.AdminKey);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Live");

        // As if the key were revoked while the page is open: the next call answers 401.
        await page.EvaluateAsync("() => sessionStorage.setItem('acorn.apiKey', 'a-key-since-revoked')");
        await page.Locator("#contexts-section").GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        await Expect(page.Locator("#key-prompt")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-error")).ToContainTextAsync("refused");
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('acorn.apiKey')"));
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task EventStreamParser_InTheBrowser_HandlesChunkBoundariesCommentsAndMultiLineData()
    {
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(server.BaseAddress.ToString());

        // Fed one to seven characters at a time, so every field, \r\n pair and blank line is split somewhere.
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const { EventStreamParser } = await import("/js/sse.js");
              const text = "retry: 1500\n\n: heartbeat\n\nid: run-1\nevent: created\ndata: {\"a\":1}\n\n" +
                "id: run-2\r\nevent: reset\r\ndata: first\r\ndata:second\r\n\r\n" +
                "data: no name\rid: run-3\r\r" + "event: ignored-without-data\n\n";
              const events = [];
              let retry = null;
              const parser = new EventStreamParser((e, hasData) => { if (hasData) events.push(e); }, (r) => { retry = r; });
              for (let i = 0, size = 1; i < text.length; i += size, size = size % 7 + 1) parser.feed(text.slice(i, i + size));
              return { events, retry };
            }
            """);

        Assert.Equal(1500, result.GetProperty("retry").GetInt32());
        var events = result.GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("id").GetString(), e.GetProperty("event").GetString(), e.GetProperty("data").GetString()))
            .ToList();
        Assert.Equal(
            [("run-1", "created", "{\"a\":1}"), ("run-2", "reset", "first\nsecond"), ("run-3", "message", "no name")],
            events);
    }

    [Fact]
    public async Task EventStreamReader_AfterADroppedConnection_ResumesWithTheLastEventId_AndMissesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        var first = $"resume-a-{Guid.NewGuid():N}"[..20];
        var second = $"resume-b-{Guid.NewGuid():N}"[..20];
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.EvaluateAsync("key => sessionStorage.setItem('acorn.apiKey', key)", ServerFixture.AdminKey);
        await page.EvaluateAsync("""
            async () => {
              const { LiveEvents } = await import("/js/sse.js");
              const seen = { urls: [], opens: [], events: [] };
              const fetch = window.fetch;
              window.fetch = (url, options) => {
                if (String(url).startsWith("/events")) seen.urls.push(String(url));
                return fetch(url, options);
              };
              const live = new LiveEvents("/events", {
                onOpen: (resumed) => seen.opens.push(resumed),
                onEvent: (e) => seen.events.push({ id: e.id, event: e.event, contextId: JSON.parse(e.data).contextId }),
              });
              window.seen = seen;
              window.live = live;
              live.start();
            }
            """);
        await page.WaitForFunctionAsync("() => window.seen.opens.length === 1");

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/contexts", new { id = first }, cancellationToken)).StatusCode);
        await page.WaitForFunctionAsync("id => window.seen.events.some(e => e.contextId === id)", first);
        var lastId = await page.EvaluateAsync<string>("() => window.seen.events.at(-1).id");

        // The connection drops; a change made before the reader reconnects must still arrive, replayed after lastId.
        await page.EvaluateAsync("() => window.live.controller.abort()");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/contexts", new { id = second }, cancellationToken)).StatusCode);
        await page.WaitForFunctionAsync("id => window.seen.events.some(e => e.contextId === id)", second);

        var seen = await page.EvaluateAsync<JsonElement>("() => { window.live.stop(); return window.seen; }");
        var urls = seen.GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Equal(["/events", $"/events?lastEventId={Uri.EscapeDataString(lastId)}"], urls);
        Assert.Equal([false, true], seen.GetProperty("opens").EnumerateArray().Select(o => o.GetBoolean()));
        var secondEvent = Assert.Single(seen.GetProperty("events").EnumerateArray(), e => e.GetProperty("contextId").GetString() == second);
        Assert.Equal("created", secondEvent.GetProperty("event").GetString());
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task Dashboard_ResumesAfterTheStreamEnds_AndListsAgainOnAReset()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        var real = $"real-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/contexts", new { id = real }, cancellationToken)).StatusCode);

        // The first stream is a stand-in that announces a context the server never had, then ends. The dashboard must
        // reconnect with that event's id; the server does not know it (another run), answers with a reset, and the
        // dashboard lists the contexts again: the ghost goes, the real context stays.
        var eventUrls = new List<string>();
        const string Ghost = "ghost-context";
        var fake = "retry: 3000\n\nid: another-run-7\nevent: created\ndata: " + JsonSerializer.Serialize(new
        {
            kind = "created", contextId = Ghost, version = 1, timestamp = DateTimeOffset.UtcNow,
            state = new { id = Ghost, version = 1, createdAt = DateTimeOffset.UtcNow, updatedAt = DateTimeOffset.UtcNow, expiresAt = (DateTimeOffset?)null, data = new { }, metadata = new { } },
        }) + "\n\n";
        await page.RouteAsync("**/events**", async route =>
        {
            bool first;
            lock (eventUrls)
            {
                eventUrls.Add(route.Request.Url);
                first = eventUrls.Count == 1;
            }

            if (first)
            {
                await route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = fake });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await OpenAndConnectAsync(page, ServerFixture.AdminKey);

        // The stand-in's event shows (for the 3 s the dashboard waits before reconnecting, as its retry field asks)...
        await Expect(page.Locator($"[data-testid='context-row'][data-context-id='{Ghost}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid='context-row'][data-context-id='{real}']")).ToBeVisibleAsync();

        // ...and goes when the reset makes the dashboard list again.
        await Expect(page.Locator($"[data-testid='context-row'][data-context-id='{Ghost}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        string[] urls;
        lock (eventUrls)
        {
            urls = [.. eventUrls];
        }

        Assert.True(urls.Length >= 2, $"The dashboard opened the event stream {urls.Length} time(s).");
        Assert.EndsWith("/events", urls[0], StringComparison.Ordinal);
        Assert.EndsWith("/events?lastEventId=another-run-7", urls[1], StringComparison.Ordinal);

        // Still live after the reset: a change made now shows up.
        await PutAsync(api, real, new { after = "reset" }, cancellationToken);
        await Expect(page.Locator($"[data-testid='context-row'][data-context-id='{real}']").GetByTestId("context-version")).ToHaveTextAsync("2");
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task ReadOnlyKey_SeesContexts_AndAWriteShowsTheServersProblemDetail()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        var id = $"readonly-{Guid.NewGuid():N}"[..20];
        var created = await api.PostAsJsonAsync("/contexts", new { id, data = new { note = "read me" } }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await OpenAndConnectAsync(page, ServerFixture.ReadKey);
        var row = page.Locator($"[data-testid='context-row'][data-context-id='{id}']");
        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#context-data")).ToContainTextAsync("read me");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create recovery point" }).ClickAsync();
        await Expect(page.Locator("#error-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#error-message")).ToContainTextAsync("read-only");
        await Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recovery-point")).ToHaveCountAsync(0);
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task EditAsPatch_AppliesAMergePatch_AndNamesTheOperationARefusedJsonPatchFailedOn()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        var id = $"patch-{Guid.NewGuid():N}"[..20];
        var created = await api.PostAsJsonAsync(
            "/contexts", new { id, data = new { color = "red", size = 1 }, metadata = new Dictionary<string, string> { ["owner"] = "browser-test" } }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await OpenAndConnectAsync(page, ServerFixture.AdminKey);
        var row = page.Locator($"[data-testid='context-row'][data-context-id='{id}']");
        await row.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("1");

        // A merge patch typed into the form: the page and the API both show the new version; metadata is kept.
        await page.GetByLabel("Kind").SelectOptionAsync("application/merge-patch+json");
        await page.GetByLabel("Patch", new() { Exact = true }).FillAsync("""{"color":"blue","size":null}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply patch" }).ClickAsync();
        await Expect(page.Locator("#patch-status")).ToContainTextAsync("now at version 2");
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("2");
        await Expect(page.Locator("#context-data")).ToContainTextAsync("\"color\": \"blue\"");
        await Expect(page.Locator("#context-data")).Not.ToContainTextAsync("size");
        await Expect(row.GetByTestId("context-version")).ToHaveTextAsync("2");
        using (var patched = await GetJsonAsync(api, $"/contexts/{id}", cancellationToken))
        {
            Assert.Equal(2, patched.RootElement.GetProperty("version").GetInt64());
            Assert.Equal("""{"color":"blue"}""", patched.RootElement.GetProperty("data").GetRawText());
            Assert.Equal("browser-test", patched.RootElement.GetProperty("metadata").GetProperty("owner").GetString());
        }

        // A JSON Patch whose test fails: the server's 409 names the operation; nothing changed.
        await page.GetByLabel("Kind").SelectOptionAsync("application/json-patch+json");
        await page.GetByLabel("Patch", new() { Exact = true }).FillAsync(
            """[{"op":"add","path":"/size","value":2},{"op":"test","path":"/color","value":"red"}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply patch" }).ClickAsync();
        await Expect(page.Locator("#error-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#error-message")).ToContainTextAsync("operation 1 (test '/color')");
        await Expect(page.Locator("#patch-status")).ToHaveTextAsync("Operation 1 (/color) was refused; nothing changed.");
        await Expect(page.Locator("#detail-version")).ToHaveTextAsync("2");
        using (var unchanged = await GetJsonAsync(api, $"/contexts/{id}", cancellationToken))
        {
            Assert.Equal(2, unchanged.RootElement.GetProperty("version").GetInt64());
        }

        await SaveScreenshotAsync(page, "dashboard-patch.png");
        Assert.Empty(browser.ScriptErrors);
    }

    /// <summary>Opens the dashboard and submits <paramref name="key"/> at its key prompt.</summary>
    private async Task OpenAndConnectAsync(IPage page, string key)
    {
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
    }

    private static async Task PutAsync(HttpClient api, string id, object data, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string> { ["owner"] = "browser-test" };
        var response = await api.PutAsJsonAsync($"/contexts/{id}", new { data, metadata }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient api, string path, CancellationToken cancellationToken)
    {
        var response = await api.GetAsync(path, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private static async Task SaveScreenshotAsync(IPage page, string fileName)
    {
        Directory.CreateDirectory(ArtifactsPath);
        var path = Path.Combine(ArtifactsPath, fileName);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(fileName, bytes, "image/png");
        TestContext.Current.SendDiagnosticMessage($"Screenshot saved to {path}");
    }

    [GeneratedRegex(@"\d")]
    private static partial Regex Digits();
}

/// <summary>The dashboard's plugin list in a real browser, against a server started with real plugins.</summary>
public sealed class PluginsDashboardBrowserTests(PluginServerFixture server, DebianChromium chromium)
    : IClassFixture<PluginServerFixture>, IClassFixture<DebianChromium>
{
    [Fact]
    public async Task Plugins_ShowStatusesAndReasons_UnloadAndLoadWithClicks_AndOfferTheCascadeTheServerNames()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        using var api = server.CreateClient();
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(ServerFixture.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

        var hello = Row(page, "test.hello");
        var greeter = Row(page, "test.greeter");
        var throws = Row(page, "test.throws");
        await Expect(hello.GetByTestId("plugin-status")).ToHaveTextAsync("active");
        await Expect(greeter.GetByTestId("plugin-status")).ToHaveTextAsync("active");
        await Expect(throws.GetByTestId("plugin-status")).ToHaveTextAsync("failed");
        await Expect(throws).ToContainTextAsync("refuses to start");
        await Expect(hello.GetByTestId("plugin-load")).ToBeDisabledAsync();

        // Unloading hello is refused while greeter needs it; the page offers the cascade the server names.
        await hello.GetByTestId("plugin-unload").ClickAsync();
        await Expect(page.Locator("#error-message")).ToContainTextAsync("test.greeter");
        var cascade = page.Locator("#error-action");
        await Expect(cascade).ToHaveTextAsync("Unload test.hello and test.greeter");
        await Expect(hello.GetByTestId("plugin-status")).ToHaveTextAsync("active");
        await cascade.ClickAsync();
        await Expect(hello.GetByTestId("plugin-status")).ToHaveTextAsync("unloaded");
        await Expect(greeter.GetByTestId("plugin-status")).ToHaveTextAsync("unloaded");
        await Expect(page.Locator("#error-banner")).ToBeHiddenAsync();
        Assert.Equal("unloaded", await StatusAsync(api, "test.hello", cancellationToken));

        // Loading greeter loads hello first.
        await greeter.GetByTestId("plugin-load").ClickAsync();
        await Expect(greeter.GetByTestId("plugin-status")).ToHaveTextAsync("active");
        await Expect(hello.GetByTestId("plugin-status")).ToHaveTextAsync("active");
        Assert.Equal("active", await StatusAsync(api, "test.greeter", cancellationToken));

        // A load that fails shows the server's reason.
        await throws.GetByTestId("plugin-load").ClickAsync();
        await Expect(page.Locator("#error-message")).ToContainTextAsync("test.throws");
        await Expect(throws.GetByTestId("plugin-status")).ToHaveTextAsync("failed");

        await page.Locator("#plugins-section").ScrollIntoViewIfNeededAsync();
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard-plugins.png"),
            FullPage = true,
        });
        TestContext.Current.AddAttachment("dashboard-plugins.png", bytes, "image/png");
        Assert.Empty(browser.ScriptErrors);
    }

    private static ILocator Row(IPage page, string pluginId) =>
        page.Locator($"[data-testid='plugin-row'][data-plugin-id='{pluginId}']");

    private static async Task<string?> StatusAsync(HttpClient api, string pluginId, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/plugins/{pluginId}", UriKind.Relative), cancellationToken));
        return document.RootElement.GetProperty("status").GetString();
    }
}
