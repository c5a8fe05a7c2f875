using System.Diagnostics;
using System.Globalization;
using System.Runtime;
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
    private const int MostWarmUpPasses = 4;

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
        var cells = MatrixCell.All(options);
        var measured = new Dictionary<MatrixCell, CellResult>();

        // Every design but the one that blocks pool threads runs first, on the pool an application has by default (its
        // minimum is the core count). A minimum raised for the blocking design put 80 workers on this machine's 2 cores,
        // and their idle spinning cost an async design's hot context up to half its throughput (issue 13).
        await WarmUpAsync(options, "warm-up", blocking: false, progress);
        await MeasureCellsAsync(options, "matrix", cells.Where(c => !ContentionRunner.BlocksThreads(c.Contender)).ToList(), measured, progress);

        // Acorn's 1-task update against seed async's and against its own at 64 tasks, in rounds that rotate the three
        // cells (see PairedRounds), after the matrix's cells.
        var oneTask = options.MatrixScenarios.Contains(Scenario.SharedUpdate)
            ? await PairedRounds.RunAsync(
                options.OperationsFor(StoreKind.InMemory, Scenario.SharedUpdate, tasks: 1, ContentionReport.Acorn) / 4,
                options.OperationsFor(StoreKind.InMemory, Scenario.SharedUpdate, Targets.TargetTasks, ContentionReport.Acorn),
                progress)
            : null;

        // The blocking design runs last, with the pool's minimum raised: with the default minimum, its first cell would
        // wait for the pool to inject one thread at a time (tens of seconds, and only that cell, since the pool keeps
        // them). Starvation on a cold pool is measured apart, one child process per contender.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        var raisedMinWorkers = Math.Max(minWorkers, options.Concurrency.Max() + 16);
        ThreadPool.SetMinThreads(raisedMinWorkers, minIo);
        try
        {
            await WarmUpAsync(options, "warm-up, naive sync", blocking: true, progress);
            await MeasureCellsAsync(options, "matrix, naive sync", cells.Where(c => ContentionRunner.BlocksThreads(c.Contender)).ToList(), measured, progress);
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }

        // Starvation: cold pools, one child process per contender; quick runs 1,024 tasks once with a short cap.
        IReadOnlyList<StarvationResult> starvation = options.RunsStarvation
            ? await Starvation.RunAsync(options.Quick ? [1024] : [256, 1024], operationsPerTask: options.Quick ? 1 : 4, cap: options.StarvationCap, progress)
            : [];
        return ([.. cells.Select(c => measured[c])], starvation, oneTask, microFailure, raisedMinWorkers);
    }

    /// <summary>
    /// Runs every path of the designs that block pool threads, or of the others, untimed, at 16 tasks and at one (their
    /// code differs: at one task nothing waits), in passes until a pass compiles no new method (at most
    /// <see cref="MostWarmUpPasses"/>): JIT and tiered compilation would otherwise be measured in the first cells.
    /// </summary>
    /// <remarks>
    /// The runtime promotes a method to optimized code only once no new method has been compiled for a while, and then
    /// only after more calls: after a single pass the first cells ran partly unoptimized. In-memory SharedUpdate at one
    /// task, right after one pass, read 274,795 ops/s for Acorn and 209,287 for seed async, and rose to 1.2M and 1.5M
    /// over the next 1.4M increments (2026-12-06).
    /// </remarks>
    private static async Task WarmUpAsync(ContentionOptions options, string stage, bool blocking, IRunProgress progress)
    {
        var warmUps = Enum.GetValues<Scenario>()
            .SelectMany(s => ContentionRunner.Contenders.Concat(Ceilings.For(StoreKind.InMemory, s)).Select(c => (Scenario: s, Contender: c)))
            .Where(w => ContentionRunner.BlocksThreads(w.Contender) == blocking)
            .ToList();

        // A quick run's figures are rough anyway: one short pass JITs every path, without reaching the last tier.
        var passes = options.Quick ? 1 : MostWarmUpPasses;
        for (var pass = 1; pass <= passes; pass++)
        {
            var compiledBefore = JitInfo.GetCompiledMethodCount();
            progress.BeginStage(string.Create(CultureInfo.InvariantCulture, $"{stage}, pass {pass}"), warmUps.Count);
            foreach (var (scenario, contender) in warmUps)
            {
                await ContentionRunner.RunAsync(StoreKind.InMemory, scenario, contender, tasks: 16, operationsPerTask: options.Quick ? 20 : 2_000);
                await ContentionRunner.RunAsync(StoreKind.InMemory, scenario, contender, tasks: 1, operationsPerTask: options.Quick ? 20 : 20_000);
                progress.Step($"warmed up {contender} on {scenario}");
            }

            var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
            progress.Note(string.Create(CultureInfo.InvariantCulture, $"{stage}, pass {pass}: {compiled:N0} methods compiled"));
            if (compiled == 0)
            {
                break;
            }
        }
    }

    private static async Task MeasureCellsAsync(
        ContentionOptions options, string stage, List<MatrixCell> cells, Dictionary<MatrixCell, CellResult> measured, IRunProgress progress)
    {
        progress.BeginStage(stage, cells.Count);
        foreach (var cell in cells)
        {
            progress.Status(cell.ToString());
            measured[cell] = cell.Contender == Ceilings.SqliteBatched
                ? await SqliteWriteCeiling.MeasureAsync(cell.Store, cell.Scenario, rows: (options.Quick ? 10 : 100) * SqliteWriteCeiling.BatchSize)
                : await ContentionRunner.RunAsync(
                    cell.Store, cell.Scenario, cell.Contender, cell.Tasks, Math.Max(5, options.OperationsFor(cell.Store, cell.Scenario, cell.Tasks, cell.Contender) / cell.Tasks));
            progress.Step(Line(measured[cell]));
        }
    }

    private static string Line(CellResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{result.Store,-15} {result.Scenario,-12} {result.Tasks,3} tasks  {result.Contender,-10} {result.Throughput,10:N0} ops/s  p99 {result.LatencyMicroseconds(99),9:N0} µs  lost {result.LostUpdates,4}  diverged {result.StoreDivergence,4}  errors {result.Errors}");

    private static string Command(string invokedAs, string[] args) =>
        string.Join(' ', [invokedAs, .. args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)]).TrimEnd();
}
