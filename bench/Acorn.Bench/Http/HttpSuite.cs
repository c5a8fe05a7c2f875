using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Http;

/// <summary>
/// The <c>http</c> suite: Acorn.Server (SQLite, <c>Durability.Full</c>) and a bare minimal-API server, each a child
/// process on a loopback port, loaded by wrk at a fixed number of connections; Acorn's throughput as a ratio to the
/// bare server's in the same run (issue 5's benchmark). Writes the section "HTTP server" of docs/performance.md.
/// </summary>
internal static class HttpSuite
{
    public const double GetTarget = 0.6;
    public const double PutTarget = 0.3;

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = HttpSettings.Parse(args);
        if (WrkRunner.FindWrk() is null)
        {
            Console.Error.WriteLine("wrk is not installed (it is the load generator of the http suite): apt-get install -y wrk");
            return 2;
        }

        var root = RepositoryRoot();
        var serverDll = settings.ServerDll ?? Path.Combine(root, "src", "Acorn.Server", "bin", "Release", "net10.0", "Acorn.Server.dll");
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"Acorn.Server's Release build is missing ({serverDll}): dotnet build src/Acorn.Server -c Release");
            return 2;
        }

        // Ctrl-C, SIGTERM, SIGHUP and SIGQUIT cancel the run, so the finally block below stops the servers by PID; a second
        // signal is not held back (the backstop on process exit then kills whatever is still running).
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildServer.KillAll();

        var work = Directory.CreateTempSubdirectory("acorn-http-bench-").FullName;
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var started = DateTimeOffset.UtcNow;
        var loadBefore = Machine.LoadAverage();
        Console.WriteLine($"http suite: {settings.Describe()}; work folder {work}; load average {loadBefore}");

        ChildServer? bare = null;
        ChildServer? acorn = null;
        try
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var benchDll = Path.Combine(AppContext.BaseDirectory, "Acorn.Bench.dll");
            var barePort = ChildServer.FreeLoopbackPort();
            bare = ChildServer.Start(
                "bare server", dotnet, [benchDll, "http-bare", "--urls", Url(barePort)],
                Profiler.Environment(settings, new() { ["DOTNET_gcServer"] = "1" }), work, Path.Combine(work, "bare.log"), barePort);

            var acornPort = ChildServer.FreeLoopbackPort();
            var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
            var plugins = Directory.CreateDirectory(Path.Combine(work, "plugins")).FullName;
            acorn = ChildServer.Start(
                "Acorn.Server", dotnet, [serverDll, "--urls", Url(acornPort), "--data", data, "--plugins", plugins],
                Profiler.Environment(settings, new() { ["ACORN_API_KEY"] = apiKey }), work, Path.Combine(work, "acorn.log"), acornPort);
            Console.WriteLine($"bare server PID {bare.Pid} on {bare.BaseAddress}; Acorn.Server PID {acorn.Pid} on {acorn.BaseAddress} ({serverDll})");

            await bare.WaitReadyAsync("/ping", TimeSpan.FromSeconds(60), cancel.Token);
            await acorn.WaitReadyAsync("/healthz", TimeSpan.FromSeconds(60), cancel.Token);

            using var client = new HttpClient { BaseAddress = acorn.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            var ids = Enumerable.Range(0, settings.Ids).Select(i => string.Create(CultureInfo.InvariantCulture, $"bench-{i:D4}")).ToArray();
            const string sharedId = "bench-shared";
            const string patchedId = "bench-patched";
            await SeedAsync(client, [.. ids, sharedId, patchedId], cancel.Token);

            var targets = Targets(ids, sharedId, patchedId, settings.Diagnostics);
            if (settings.OnlyTargets is { } only)
            {
                // The ceiling is always measured: every ratio needs it.
                targets = [.. targets.Where(t => !t.OnAcorn || only.Contains(t.Key))];
            }

            var wrk = new WrkRunner(work, settings.Connections, settings.Threads, apiKey);
            var measured = targets.ToDictionary(t => t.Key, _ => new List<WrkResult>());
            var acknowledged = targets.ToDictionary(t => t.Key, _ => 0L);
            var runs = targets.ToDictionary(t => t.Key, _ => 0);
            var acknowledgedFields = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var target in targets)
                {
                    var server = target.OnAcorn ? acorn : bare;
                    if (settings.Warmup > TimeSpan.Zero)
                    {
                        var warm = await wrk.RunAsync(target, server.BaseAddress, settings.Warmup, cancel.Token);
                        acknowledged[target.Key] += warm.Succeeded;
                        runs[target.Key]++;
                        Remember(acknowledgedFields, warm);
                    }

                    var metricsBefore = target.OnAcorn ? await ServerMetrics.ScrapeAsync(client, cancel.Token) : ServerMetrics.Empty;
                    var cpuBefore = server.CpuTime;
                    var profile = settings.Profile ? Profiler.Start(server, Path.Combine(work, $"perf-{target.Key}-r{round}.data"), settings.Duration) : null;
                    var result = await wrk.RunAsync(target, server.BaseAddress, settings.Duration, cancel.Token);
                    if (profile is not null)
                    {
                        await profile;
                    }

                    result = result with { ServerCpuMicroseconds = (server.CpuTime - cpuBefore).TotalMicroseconds };
                    if (target.OnAcorn)
                    {
                        result = result with { Metrics = (await ServerMetrics.ScrapeAsync(client, cancel.Token)).Minus(metricsBefore) };
                    }

                    acknowledged[target.Key] += result.Succeeded;
                    runs[target.Key]++;
                    Remember(acknowledgedFields, result);
                    measured[target.Key].Add(result);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}/{settings.Rounds}  {target.Key,-16} {result.RequestsPerSecond,10:N0} req/s  p50 {Ms(result.P50),8} ms  p99 {Ms(result.P99),8} ms  server CPU {result.ServerCpuPerRequest,6:N1} µs/req  non-2xx {result.Non2xx}  socket errors {result.SocketErrors}"));
                }
            }

            // Every acknowledged write must be a committed version, and nothing else may have moved them:
            // committed - acknowledged = requests still in flight when wrk stopped (at most the connections, per run).
            var checks = new List<IWriteCheck>();
            if (acknowledged.TryGetValue("acorn-put", out var spreadAcknowledged))
            {
                checks.Add(new WriteCheck("PUT over the ids", spreadAcknowledged, await CommittedVersionsAsync(client, ids, cancel.Token), settings.Connections * runs["acorn-put"]));
            }

            if (acknowledged.TryGetValue("acorn-put-shared", out var sharedAcknowledged))
            {
                checks.Add(new WriteCheck("PUT one shared id", sharedAcknowledged, await CommittedVersionsAsync(client, [sharedId], cancel.Token), settings.Connections * runs["acorn-put-shared"]));
            }

            if (acknowledged.TryGetValue("acorn-patch-shared", out var patchAcknowledged))
            {
                checks.Add(new WriteCheck("PATCH one shared id", patchAcknowledged, await CommittedVersionsAsync(client, [patchedId], cancel.Token), settings.Connections * runs["acorn-patch-shared"]));
                checks.Add(await FieldCheckAsync(client, patchedId, acknowledgedFields, cancel.Token));
            }

            var loadAfter = Machine.LoadAverage();
            var summaries = targets.Select(t => new TargetSummary(t, measured[t.Key])).ToList();
            var environment = new BenchEnvironment(
                started, loadBefore, loadAfter, await WrkRunner.VersionAsync(), await DotnetSdkVersionAsync(dotnet), await GitCommitAsync(root));
            var command = ("dotnet run -c Release --project bench/Acorn.Bench -- http " + string.Join(' ', args)).TrimEnd();

            Console.WriteLine();
            Console.WriteLine(HttpReport.Table(summaries));
            Console.WriteLine(HttpReport.Inside(summaries));
            if (HttpReport.PatchAgainstPut(summaries) is { } patchAgainstPut)
            {
                Console.WriteLine(patchAgainstPut);
            }

            foreach (var check in checks)
            {
                Console.WriteLine(check.Describe());
            }

            if (settings.ReportPath is { } report)
            {
                var path = Path.IsPathRooted(report) ? report : Path.Combine(root, report);
                await MarkdownSection.WriteAsync(path, HttpReport.Marker, HttpReport.Heading, HttpReport.Section(summaries, checks, settings, environment, command));
                Console.WriteLine($"Section \"{HttpReport.Heading}\" written to {path}");
            }

            var lost = checks.Where(c => !c.Holds).ToList();
            foreach (var check in lost)
            {
                Console.Error.WriteLine($"LOST WRITES: {check.Describe()}");
            }

            return lost.Count == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
        finally
        {
            foreach (var server in new[] { acorn, bare })
            {
                if (server is not null)
                {
                    var pid = server.Pid;
                    await server.DisposeAsync();
                    Console.WriteLine($"stopped {server.Name} (PID {pid})");
                }
            }

            if (settings.Keep)
            {
                Console.WriteLine($"work folder kept: {work}");
            }
            else
            {
                TryDelete(work);
            }
        }
    }

    internal static string Ms(double microseconds) => (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture);

    private static List<HttpTarget> Targets(string[] ids, string sharedId, string patchedId, bool diagnostics)
    {
        const string putBody = """{"data":{"counter":1,"name":"updated by wrk","tags":["a","b","c"]}}""";
        var contextPaths = ids.Select(id => "/contexts/" + id).ToArray();
        var targets = new List<HttpTarget>
        {
            new("bare-get", "Bare minimal API `GET /ping` (ceiling)", OnAcorn: false, "GET", ["/ping"], null),
            new("acorn-get", $"Acorn `GET /contexts/{{id}}`, {ids.Length} ids", OnAcorn: true, "GET", contextPaths, null),
            new("acorn-put", $"Acorn `PUT /contexts/{{id}}`, {ids.Length} ids, unconditional", OnAcorn: true, "PUT", contextPaths, putBody),
            new("acorn-put-shared", "Acorn `PUT /contexts/{id}`, one shared id, unconditional", OnAcorn: true, "PUT", ["/contexts/" + sharedId], putBody),
            new("acorn-patch-shared", "Acorn `PATCH /contexts/{id}` (merge patch), one shared id, each connection its own field", OnAcorn: true, "PATCH",
                ["/contexts/" + patchedId], null, FieldPerConnection: true),
        };
        if (diagnostics)
        {
            targets.Add(new("acorn-404", "Acorn `GET` of an unknown path (404: the middleware pipeline, no endpoint)", OnAcorn: true, "GET", ["/no-such-route"], null, Diagnostic: true));
        }

        return targets;
    }

    private static async Task SeedAsync(HttpClient client, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            var body = $$$"""{"id":"{{{id}}}","data":{"counter":0,"name":"seeded by the http bench","tags":["a","b","c"]},"metadata":{"owner":"bench"}}""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/contexts", UriKind.Relative), content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"Seeding {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    private static void Remember(Dictionary<string, long> acknowledgedFields, WrkResult result)
    {
        foreach (var (field, value) in result.AcknowledgedFields)
        {
            acknowledgedFields[field] = Math.Max(acknowledgedFields.GetValueOrDefault(field), value);
        }
    }

    /// <summary>Every field patched by its own connection must hold at least the last value a 2xx acknowledged.</summary>
    private static async Task<FieldCheck> FieldCheckAsync(
        HttpClient client, string id, Dictionary<string, long> acknowledgedFields, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri("/contexts/" + id, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var data = document.RootElement.GetProperty("data");
        var behind = acknowledgedFields.Count(f => !data.TryGetProperty(f.Key, out var value) || value.GetInt64() < f.Value);
        return new FieldCheck(acknowledgedFields.Count, behind);
    }

    private static async Task<long> CommittedVersionsAsync(HttpClient client, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var id in ids)
        {
            using var response = await client.GetAsync(new Uri("/contexts/" + id, UriKind.Relative), cancellationToken);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            total += document.RootElement.GetProperty("version").GetInt64() - 1;
        }

        return total;
    }

    private static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    /// <summary>The repository's root folder (the one with Acorn.slnx), from the working directory or the bench's own folder.</summary>
    internal static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Acorn.slnx")))
                {
                    return folder.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static async Task<string> DotnetSdkVersionAsync(string dotnet) => (await OutputOfAsync(dotnet, "--version")).Trim();

    private static async Task<string> GitCommitAsync(string root) => (await OutputOfAsync("git", "-C", root, "rev-parse", "--short", "HEAD")).Trim();

    private static async Task<string> OutputOfAsync(string fileName, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not delete {folder}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"could not delete {folder}: {e.Message}");
        }
    }
}

/// <summary>
/// Acknowledged writes (2xx seen by wrk, warm-ups included) against versions committed by the server: acknowledged ≤
/// committed ≤ acknowledged + <paramref name="InFlightBound"/> (the connections, once per wrk run: what can be in flight
/// when wrk stops).
/// </summary>
internal sealed record WriteCheck(string Name, long Acknowledged, long Committed, long InFlightBound) : IWriteCheck
{
    public bool Holds => Acknowledged <= Committed && Committed <= Acknowledged + InFlightBound;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Acknowledged:N0} acknowledged, {Committed:N0} committed ({Committed - Acknowledged:N0} in flight when wrk stopped, at most {InFlightBound:N0}){(Holds ? "" : Committed < Acknowledged ? "; WRITES LOST" : "; MORE COMMITTED THAN SENT")}");
}

/// <summary>The fields of a field-per-connection PATCH target: each holds at least the last value acknowledged for it.</summary>
internal sealed record FieldCheck(int Fields, int Behind) : IWriteCheck
{
    public bool Holds => Fields > 0 && Behind == 0;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"PATCH fields: {Fields} connections each patched a field of its own; {(Holds ? "every field holds at least its last acknowledged value" : $"{Behind} field(s) BEHIND their last acknowledged value; WRITES LOST")}");
}

/// <summary>A check of the writes after the run, printed and reported; the suite exits 1 when one does not hold.</summary>
internal interface IWriteCheck
{
    bool Holds { get; }

    string Describe();
}

/// <summary>What the report says about the machine and the run.</summary>
internal sealed record BenchEnvironment(DateTimeOffset Started, string LoadBefore, string LoadAfter, string Wrk, string Sdk, string Commit);
