using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Acorn.Bench.Http;

namespace Acorn.Bench.Scale;

/// <summary>
/// Starts Acorn.Server (a child process, its Release build) on the database the suite created and measures what a
/// client sees: how soon a restarted server answers a read, how soon it is fully loaded, and list pages over HTTP.
/// </summary>
internal static class HttpScaleCheck
{
    private const int PageSamples = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<HttpScaleResult> RunAsync(ScaleWorkload workload, string folder, string serverDll, Action<string> progress)
    {
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var port = ChildServer.FreeLoopbackPort();
        var plugins = Directory.CreateDirectory(Path.Combine(folder, "plugins")).FullName;
        var n = workload.Count;
        var clock = Stopwatch.StartNew();
        await using var server = ChildServer.Start(
            "Acorn.Server",
            dotnet,
            [serverDll, "--urls", $"http://127.0.0.1:{port}", "--data", folder, "--plugins", plugins,
                string.Create(CultureInfo.InvariantCulture, $"--Acorn:Contexts:MaxContexts={Math.Max(2 * n, 100_000)}")],
            new Dictionary<string, string> { ["ACORN_API_KEY"] = apiKey },
            folder,
            Path.Combine(folder, "server.log"),
            port);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var id = ScaleWorkload.Id(new Random(11).Next(n));
        await PollAsync(server, clock, () => AnswersAsync(client, $"/contexts/{id}"));
        var firstRead = clock.Elapsed;
        await PollAsync(server, clock, () => LoadedAsync(client));
        var loaded = clock.Elapsed;
        progress(string.Create(CultureInfo.InvariantCulture, $"server: first read after {firstRead.TotalMilliseconds:N0} ms, every context loaded after {loaded.TotalMilliseconds:N0} ms"));

        var first = await LatencySummary.MeasureAsync(PageSamples, _ => PageAsync(client, null));
        var middle = await LatencySummary.MeasureAsync(PageSamples, _ => PageAsync(client, workload.IdAt(n / 2)));
        var last = await LatencySummary.MeasureAsync(PageSamples, _ => PageAsync(client, workload.IdAt(n - 101)));
        return new HttpScaleResult(n, firstRead, loaded, first, middle, last, ResidentBytes(server.Pid));
    }

    private static async Task PollAsync(ChildServer server, Stopwatch clock, Func<Task<bool>> ready)
    {
        while (!await ready())
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"{server.Name} was not ready within {Patience.TotalSeconds:0} s; its log: {server.LogPath}\n{server.Tail()}");
            }

            // Polling another process: there is nothing to wait on but time.
            await Task.Delay(5);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> LoadedAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return health.RootElement.GetProperty("checks").GetProperty("contexts").GetProperty("status").GetString() == "Healthy";
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async ValueTask PageAsync(HttpClient client, string? after)
    {
        var path = after is null ? "/contexts?limit=100" : $"/contexts?limit=100&after={Uri.EscapeDataString(after)}";
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
