using System.Diagnostics;
using System.Globalization;
using Acorn.Bench.Primitives;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Contention;

/// <summary>
/// The performance run: the BenchmarkDotNet micro-benchmarks (full runs only), every store x scenario x concurrency x
/// contender, the starvation scenario, then the report (contention.md), its charts and the section of performance.md.
/// </summary>
internal static class ContentionSuite
{
    public const string ReportFile = "contention.md";
    public const string PerformanceFile = "performance.md";
    private const string SectionMarker = "contention-bench";
    private const string SectionHeading = "Context system under contention";

    /// <param name="args">The arguments after the suite name.</param>
    /// <param name="invokedAs">What came before them on the command line, for the report's exact command.</param>
    public static async Task<int> RunAsync(string[] args, string invokedAs)
    {
        var (options, error) = ContentionOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        var started = DateTimeOffset.UtcNow;
        var machine = Machine.Describe();
        var clock = Stopwatch.StartNew();
        var (results, starvation, oneTask, microFailure, minWorkers) = await RunProgress.RunAsync(progress => MeasureAsync(options, progress));
        clock.Stop();

        Directory.CreateDirectory(options.OutFolder);
        var micro = BenchmarkDotNetSummary.Markdown(
            MicroBenchmarkRun.ArtifactsFolder, "dotnet run -c Release --project bench/Acorn.Bench -- primitives " + string.Join(' ', MicroBenchmarkRun.Arguments), microFailure);
        var run = new ContentionRun(
            results, starvation, oneTask, Command(invokedAs, args), started, clock.Elapsed, machine, minWorkers,
            options.Workload,
            ContentionCharts.Write(results, options.OutFolder), micro);
        var report = Path.Combine(options.OutFolder, ReportFile);
        await File.WriteAllTextAsync(report, ContentionReport.Write(run));
        await MarkdownSection.WriteAsync(Path.Combine(options.OutFolder, PerformanceFile), SectionMarker, SectionHeading, ContentionReport.Section(run, ReportFile));
        Console.WriteLine($"Report written to {report}, charts to {Path.Combine(options.OutFolder, ContentionCharts.Folder)}, summary to the section \"{SectionHeading}\" of {Path.Combine(options.OutFolder, PerformanceFile)} ({clock.Elapsed.TotalMinutes:0.0} min)");

        foreach (var check in Targets.Evaluate(results, starvation, oneTask))
        {
            Console.WriteLine($"[target] {check.Outcome.Replace("**", "", StringComparison.Ordinal),-24} {check.Target}: {check.Measured}");
        }

        var acornFailures = results.Where(r => r.Contender == ContentionReport.Acorn && (r.LostUpdates != 0 || r.StoreDivergence != 0 || r.Errors != 0)).ToList();
        foreach (var failure in acornFailures)
        {
            Console.Error.WriteLine($"Acorn lost {failure.LostUpdates} updates, diverged from its store by {failure.StoreDivergence} and had {failure.Errors} errors in {failure.Store}/{failure.Scenario}/{failure.Tasks}.");
        }

        if (!File.Exists(report) || new FileInfo(report).Length == 0)
        {
            Console.Error.WriteLine($"No report at {report}.");
            return 1;
        }

        return acornFailures.Count == 0 ? 0 : 1;
    }

    private static async Task<(List<CellResult> Results, IReadOnlyList<StarvationResult> Starvation, PairedRatios? OneTask, string? MicroFailure, int MinWorkers)> MeasureAsync(
        ContentionOptions options, IRunProgress progress)
    {
        var microFailure = options.RunsMicroBenchmarks ? await MicroBenchmarkRun.RunAsync(progress) : null;

        // The matrix measures contention, not thread-pool warm-up: with the default minimum, the first cell whose design
        // blocks pool threads waits for the pool to inject one thread at a time (tens of seconds, and only that cell,
        // since the pool keeps them). Starvation on a cold pool is measured apart, one child process per contender.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        var raisedMinWorkers = Math.Max(minWorkers, options.Concurrency.Max() + 16);
        ThreadPool.SetMinThreads(raisedMinWorkers, minIo);

        // JIT and tiered compilation would otherwise be measured in the first cells: run every path once, untimed.
        var warmUps = Enum.GetValues<Scenario>().SelectMany(s => ContentionRunner.Contenders.Concat(Ceilings.For(StoreKind.InMemory, s)).Select(c => (Scenario: s, Contender: c))).ToList();
        progress.BeginStage("warm-up", warmUps.Count);
        foreach (var (scenario, contender) in warmUps)
        {
            // A quick run's figures are rough anyway: it warms up enough to JIT every path, not to reach the last tier. A
            // full run warms up long enough (about a second a path) for tiered compilation to reach its optimized code.
            await ContentionRunner.RunAsync(StoreKind.InMemory, scenario, contender, tasks: 16, operationsPerTask: options.Quick ? 20 : 2_000);
            progress.Step($"warmed up {contender} on {scenario}");
        }

        var results = new List<CellResult>();
        var cells = options.Stores.Sum(store => options.MatrixScenarios.Sum(scenario =>
            (options.Concurrency.Length * ContentionRunner.For(store, scenario).Count()) + (SqliteWriteCeiling.Applies(store, scenario) ? 1 : 0)));
        progress.BeginStage("matrix", cells);
        foreach (var store in options.Stores)
        {
            foreach (var scenario in options.MatrixScenarios)
            {
                if (SqliteWriteCeiling.Applies(store, scenario))
                {
                    progress.Status($"{store} {scenario}: raw SQLite ceiling");
                    results.Add(await SqliteWriteCeiling.MeasureAsync(store, scenario, rows: (options.Quick ? 10 : 100) * SqliteWriteCeiling.BatchSize));
                    progress.Step(Line(results[^1]));
                }

                foreach (var tasks in options.Concurrency)
                {
                    foreach (var contender in ContentionRunner.For(store, scenario))
                    {
                        progress.Status(string.Create(CultureInfo.InvariantCulture, $"{store} {scenario} {tasks} tasks: {contender}"));
                        results.Add(await ContentionRunner.RunAsync(store, scenario, contender, tasks, Math.Max(5, options.OperationsFor(store, scenario, tasks, contender) / tasks)));
                        progress.Step(Line(results[^1]));
                    }
                }
            }
        }

        // The 1-task comparison with seed async, in rounds that alternate the two (see PairedRounds), after every cell ran.
        var oneTask = options.MatrixScenarios.Contains(Scenario.SharedUpdate)
            ? await PairedRounds.RunAsync(options.OperationsFor(StoreKind.InMemory, Scenario.SharedUpdate, tasks: 1, ContentionReport.Acorn) / 4, progress)
            : null;

        // Starvation: cold pools, one child process per contender; quick runs 1,024 tasks once with a short cap.
        IReadOnlyList<StarvationResult> starvation = options.RunsStarvation
            ? await Starvation.RunAsync(options.Quick ? [1024] : [256, 1024], operationsPerTask: options.Quick ? 1 : 4, cap: options.StarvationCap, progress)
            : [];
        return (results, starvation, oneTask, microFailure, raisedMinWorkers);
    }

    private static string Line(CellResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{result.Store,-15} {result.Scenario,-12} {result.Tasks,3} tasks  {result.Contender,-10} {result.Throughput,10:N0} ops/s  p99 {result.LatencyMicroseconds(99),9:N0} µs  lost {result.LostUpdates,4}  diverged {result.StoreDivergence,4}  errors {result.Errors}");

    private static string Command(string invokedAs, string[] args) =>
        string.Join(' ', [invokedAs, .. args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)]).TrimEnd();
}
