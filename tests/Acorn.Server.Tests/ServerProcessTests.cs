using System.Collections.Concurrent;
using System.Net;

namespace Acorn.Server.Tests;

/// <summary>The server as its users run it: first start, keys, SIGKILL and restart, SIGTERM, refused bindings.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acorn-server-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task First_start_makes_a_key_readable_only_by_the_user_logs_its_path_not_the_key_and_keeps_it_across_restarts()
    {
        var keyFile = Path.Combine(_folder, "data", "api-key.txt");
        string key;
        await using (var first = await ServerProcess.StartAsync(_folder, apiKey: null))
        {
            key = (await File.ReadAllTextAsync(keyFile, Ct)).Trim();
            Assert.True(key.Length >= 40, $"The key '{key}' is too short to be strong.");
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            Assert.Contains(keyFile, first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(key, first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(key, await File.ReadAllTextAsync(Path.Combine(_folder, "data", "api-keys.json"), Ct), StringComparison.Ordinal);

            using var client = first.CreateClient(key);
            Assert.Equal(HttpStatusCode.Created, (await client.CreateAsync("kept")).StatusCode);
            await first.TerminateAsync(TimeSpan.FromSeconds(20));
        }

        await using var second = await ServerProcess.StartAsync(_folder, apiKey: null);
        using var again = second.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/contexts/kept", Ct)).StatusCode);
        Assert.Equal(key, (await File.ReadAllTextAsync(keyFile, Ct)).Trim());
    }

    [Fact]
    public async Task ACORN_API_KEY_is_an_admin_key_and_no_key_file_is_made()
    {
        await using var server = await ServerProcess.StartAsync(_folder, apiKey: "env-admin-key-123456");
        using var client = server.CreateClient("env-admin-key-123456");
        using var wrong = server.CreateClient("something-else");

        Assert.Equal(HttpStatusCode.Created, (await client.CreateAsync("from-env")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/contexts/from-env", Ct)).StatusCode);
        Assert.False(File.Exists(Path.Combine(_folder, "data", "api-key.txt")));
    }

    [Fact]
    public async Task Settings_come_from_ACORN__environment_variables()
    {
        var environment = new Dictionary<string, string> { ["ACORN__SERVER__MAXPAGESIZE"] = "5" };
        await using var server = await ServerProcess.StartAsync(_folder, "env-settings-key-123456", environment);
        using var client = server.CreateClient("env-settings-key-123456");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/contexts?limit=5", Ct)).StatusCode);
        var refused = await client.GetAsync("/contexts?limit=6", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("1 to 5", (await refused.ReadProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigkill_loses_no_acknowledged_write()
    {
        const string Key = "kill-test-key-123456";
        const int Writers = 16;
        var acknowledged = new ConcurrentDictionary<string, (long Version, long N)>();
        await using (var server = await ServerProcess.StartAsync(_folder, Key))
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                using var client = server.CreateClient(Key);
                var id = $"killed-{w}";
                try
                {
                    if ((await client.CreateAsync(id, """{"n":0}""")).StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged[id] = (1, 0);
                    }

                    for (var n = 1; !stop.IsCancellationRequested; n++)
                    {
                        var response = await client.PutAsync(id, $$"""{"n":{{n}}}""");
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var version = (await response.ReadJsonAsync()).GetProperty("version").GetInt64();
                            acknowledged[id] = (version, n);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The server died under this request: it was never acknowledged.
                }
            }, Ct)).ToArray();

            while (acknowledged.Values.Sum(a => a.Version) < Writers * 20)
            {
                await Task.Delay(20, Ct);
            }

            server.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = await ServerProcess.StartAsync(_folder, Key);
        using var reader = restarted.CreateClient(Key);
        Assert.Equal(Writers, acknowledged.Count);
        foreach (var (id, (version, n)) in acknowledged)
        {
            var state = await (await reader.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
            var stored = state.GetProperty("version").GetInt64();

            // The kill may land after the commit and before the response: a write can survive unacknowledged, never the reverse.
            Assert.True(stored >= version, $"{id}: version {version} was acknowledged, {stored} survived.");
            if (stored == version)
            {
                Assert.Equal(n, state.GetProperty("data").GetProperty("n").GetInt64());
            }
        }
    }

    [Fact]
    public async Task Sigterm_with_an_open_event_stream_exits_0_promptly()
    {
        const string Key = "term-test-key-123456";
        await using var server = await ServerProcess.StartAsync(_folder, Key);
        using var client = server.CreateClient(Key);
        await client.CreateAsync("before-stop");
        await using var stream = await SseReader.OpenAsync(client, "/events");

        // Bounded: an open stream must not hold the host until its shutdown timeout and beyond.
        await server.TerminateAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, server.ExitCode);
        Assert.Contains("shutting down", server.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    public async Task Listening_beyond_loopback_is_refused_unless_allowed(string url)
    {
        await using var refused = await ServerProcess.RunToExitAsync(_folder, "bind-key-123456", "--urls", url);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("AllowRemoteBinding", refused.Output, StringComparison.Ordinal);
    }
}
