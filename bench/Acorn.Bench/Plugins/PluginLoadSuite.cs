using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Acorn.Bench.Reporting;
using Acorn.Plugins;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acorn.Bench.Plugins;

/// <summary>
/// Load-all of real plugin assemblies in a layered DAG, each awaiting a delay in initialize, against the critical-path
/// bound (depth x delay + the load overhead measured with no delay).
/// </summary>
internal static class PluginLoadSuite
{
    private const int Depth = 10;
    private const int DelayMilliseconds = 10;
    private const double Target = 1.3;
    private const string Marker = "plugin-load-bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var count = IntArgument(args, "--count") ?? (quick ? 100 : 500);
        var rounds = quick ? 2 : 5;
        var parallel = 64;
        var report = ReportPath(args);
        var template = Path.Combine(AppContext.BaseDirectory, "test-plugins", "Acorn.TestPlugins.Delay");
        if (!File.Exists(Path.Combine(template, "Acorn.TestPlugins.Delay.dll")))
        {
            Console.Error.WriteLine($"The Delay plugin is missing from {template}: build bench/Acorn.Bench first.");
            return 2;
        }

        var machine = Machine.Describe();
        var root = Directory.CreateTempSubdirectory("acorn-plugin-bench-").FullName;
        try
        {
            var dag = PluginDag.Generate(count, Depth, seed: 20261129);
            LayOut(dag, template, root);
            Console.WriteLine($"{count} plugins, depth {Depth}, MaxParallelLoads {parallel}, {rounds} rounds after a warm-up");
            await LoadAllAsync(dag, root, 0, parallel);
            // Interleaved, so that drift over the run (every round leaves 500 more load contexts behind) hits both alike.
            var (overhead, loaded) = await MediansAsync(
                rounds, () => LoadAllAsync(dag, root, 0, parallel), () => LoadAllAsync(dag, root, DelayMilliseconds, parallel));
            var bound = (Depth * DelayMilliseconds) + overhead;
            var ratio = loaded / bound;
            var section = Section(count, parallel, rounds, overhead, loaded, bound, ratio, machine, quick);
            Console.WriteLine(section);
            if (report is not null)
            {
                await MarkdownSection.WriteAsync(report, Marker, "Plugin load-all", section);
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int? IntArgument(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
    }

    private static string? ReportPath(string[] args)
    {
        var at = Array.IndexOf(args, "--report");
        return args.Contains("--no-report") ? null : at >= 0 && at + 1 < args.Length ? args[at + 1] : Path.Combine("docs", "performance.md");
    }

    private static void LayOut(PluginDag dag, string template, string root)
    {
        var files = Directory.GetFiles(template).Where(f => Path.GetFileName(f) != "plugin.json").ToList();
        foreach (var id in dag.Ids)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            var manifest = new
            {
                id,
                name = id,
                version = "1.0.0",
                entryAssembly = "Acorn.TestPlugins.Delay.dll",
                dependencies = dag.Dependencies[id].ToDictionary(d => d, _ => ">=1.0.0"),
            };
            File.WriteAllText(Path.Combine(folder, "plugin.json"), JsonSerializer.Serialize(manifest));
        }
    }

    /// <summary>Loads every plugin once and returns the wall time in milliseconds, after checking every edge was respected.</summary>
    private static async Task<double> LoadAllAsync(PluginDag dag, string root, int delay, int parallel)
    {
        var options = new PluginManagerOptions { MaxParallelLoads = parallel };
        options.Roots.Add(root);
        var configuration = JsonDocument.Parse($$"""{"delayMilliseconds":{{delay}}}""").RootElement;
        foreach (var id in dag.Ids)
        {
            options.Configuration[id] = configuration;
        }

        using var manager = new PluginManager(options, NullLoggerFactory.Instance);
        var discovered = await PluginDiscovery.DiscoverAsync(options.Roots, CancellationToken.None);
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        var started = new ConcurrentDictionary<string, long>();
        var active = new ConcurrentDictionary<string, long>();
        manager.StatusChanged += (_, e) =>
        {
            var map = e.Current.Status switch { PluginStatus.Loading => started, PluginStatus.Active => active, _ => null };
            map?.TryAdd(e.Current.Id, Stopwatch.GetTimestamp());
        };

        var clock = Stopwatch.StartNew();
        var results = await manager.LoadAllAsync(CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (results.Count != dag.Ids.Count || results.Any(p => p.Status != PluginStatus.Active))
        {
            throw new InvalidOperationException($"Not every plugin became active: {string.Join(", ", results.Where(p => p.Status != PluginStatus.Active).Select(p => $"{p.Id} {p.Status} {p.Reason}"))}");
        }

        foreach (var (id, dependencies) in dag.Dependencies)
        {
            foreach (var dependency in dependencies.Where(d => started[id] < active[d]))
            {
                throw new InvalidOperationException($"{id} started before its dependency {dependency} was active.");
            }
        }

        return elapsed;
    }

    private static async Task<(double First, double Second)> MediansAsync(int rounds, Func<Task<double>> first, Func<Task<double>> second)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            a.Add(await first());
            b.Add(await second());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {i + 1}: {a[^1]:0.0} ms without delay, {b[^1]:0.0} ms with"));
            GC.Collect();
        }

        return (Statistics.Median(a), Statistics.Median(b));
    }

    private static string Section(int count, int parallel, int rounds, double overhead, double loaded, double bound, double ratio, string machine, bool quick)
    {
        var c = CultureInfo.InvariantCulture;
        return new StringBuilder()
            .AppendLine(c, $"Load-all of {count} real plugin assemblies (each in its own collectible load context) in a random layered DAG of depth {Depth}, ")
            .AppendLine(c, $"each plugin's initialize awaiting {DelayMilliseconds} ms; `MaxParallelLoads` {parallel}. Medians of {rounds} interleaved rounds (without, then with the delay) after a warm-up round; every round checks that")
            .AppendLine("every plugin became Active and none started before all of its dependencies were Active.")
            .AppendLine()
            .AppendLine("| measure | ms |")
            .AppendLine("| --- | ---: |")
            .AppendLine(c, $"| load overhead (same plugins, no delay) | {overhead:0.0} |")
            .AppendLine(c, $"| critical-path bound: {Depth} x {DelayMilliseconds} ms + overhead | {bound:0.0} |")
            .AppendLine(c, $"| load-all with {DelayMilliseconds} ms initializes | {loaded:0.0} |")
            .AppendLine()
            .AppendLine(c, $"**Target: within {Target:0.0}x of the bound — {(ratio <= Target ? "met" : "not met")} ({ratio:0.00}x).**")
            .AppendLine()
            .AppendLine(c, $"Machine: {machine}. Date: {DateTime.UtcNow:yyyy-MM-dd}. Command: `dotnet run -c Release --project bench/Acorn.Bench -- plugins{(quick ? " --quick" : "")}`.")
            .ToString();
    }
}
