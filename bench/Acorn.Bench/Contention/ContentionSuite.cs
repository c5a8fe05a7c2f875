using System.Globalization;
using Acorn.Bench.Reporting;

namespace Acorn.Bench.Contention;

/// <summary>The <c>contention</c> suite: every store x scenario x concurrency x contender, then the markdown report.</summary>
internal static class ContentionSuite
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var outFolder = Option(args, "--out") ?? "docs";
        var only = Option(args, "--scenario");
        var starvationOnly = string.Equals(only, "Starvation", StringComparison.OrdinalIgnoreCase);
        Scenario[] scenarios = starvationOnly ? [] : only is { } s ? [Enum.Parse<Scenario>(s, ignoreCase: true)] : Enum.GetValues<Scenario>();
        StoreKind[] stores = quick ? [StoreKind.InMemory, StoreKind.SqliteFull, StoreKind.SimulatedRemote] : Enum.GetValues<StoreKind>();
        int[] concurrency = quick ? [1, 64] : [1, 4, 16, 32, 64];
        var operationsPerCell = quick ? 320 : 3_200;

        // The matrix measures contention, not thread-pool warm-up: with the default minimum, the first cell whose design
        // blocks pool threads waits for the pool to inject one thread at a time (tens of seconds, and only that cell,
        // since the pool keeps them). Starvation on a cold pool is measured apart, one child process per contender.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        var raisedMinWorkers = Math.Max(minWorkers, concurrency.Max() + 16);
        ThreadPool.SetMinThreads(raisedMinWorkers, minIo);

        // JIT and tiered compilation would otherwise be measured in the first cells: run every path once, untimed.
        foreach (var scenario in Enum.GetValues<Scenario>())
        {
            foreach (var contender in ContentionRunner.Contenders.Concat(Ceilings.For(StoreKind.InMemory, scenario)))
            {
                await ContentionRunner.RunAsync(StoreKind.InMemory, scenario, contender, tasks: 16, operationsPerTask: 200);
            }
        }

        var started = DateTimeOffset.UtcNow;
        var machine = Machine.Describe();
        var results = new List<CellResult>();
        var cells = stores.Sum(store => scenarios.Sum(scenario =>
            (concurrency.Length * (ContentionRunner.Contenders.Length + Ceilings.For(store, scenario).Count())) + (SqliteWriteCeiling.Applies(store, scenario) ? 1 : 0)));
        void Print(CellResult result) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{results.Count,3}/{cells}] {result.Store,-15} {result.Scenario,-12} {result.Tasks,3} tasks  {result.Contender,-10} {result.Throughput,10:N0} ops/s  p99 {result.LatencyMicroseconds(99),9:N0} µs  lost {result.LostUpdates,4}  diverged {result.StoreDivergence,4}  errors {result.Errors}"));
        foreach (var store in stores)
        {
            foreach (var scenario in scenarios)
            {
                if (SqliteWriteCeiling.Applies(store, scenario))
                {
                    results.Add(await SqliteWriteCeiling.MeasureAsync(store, scenario, rows: quick ? 10 * SqliteWriteCeiling.BatchSize : 100 * SqliteWriteCeiling.BatchSize));
                    Print(results[^1]);
                }

                foreach (var tasks in concurrency)
                {
                    foreach (var contender in ContentionRunner.Contenders.Concat(Ceilings.For(store, scenario)))
                    {
                        // A read, or any in-memory operation, costs a microsecond or so: 20 times the operations, or the cell
                        // measures little more than starting its tasks (and a single GC pause decides its throughput).
                        var operations = scenario == Scenario.Reads || store == StoreKind.InMemory ? 20 * operationsPerCell : operationsPerCell;
                        results.Add(await ContentionRunner.RunAsync(store, scenario, contender, tasks, Math.Max(5, operations / tasks)));
                        Print(results[^1]);
                    }
                }
            }
        }

        // Starvation: cold pools, one child process per contender; quick runs 1,024 tasks once with a short cap.
        IReadOnlyList<StarvationResult> starvation = only is null || starvationOnly
            ? await Starvation.RunAsync(quick ? [1024] : [256, 1024], operationsPerTask: quick ? 1 : 4, cap: TimeSpan.FromSeconds(quick ? 10 : 60))
            : [];

        var command = "dotnet run -c Release --project bench/Acorn.Bench -- contention " + string.Join(' ', args);
        Directory.CreateDirectory(outFolder);
        var report = Path.Combine(outFolder, "contention.md");
        await File.WriteAllTextAsync(report, ContentionReport.Write(results, starvation, command.TrimEnd(), started, machine, raisedMinWorkers,
            string.Create(CultureInfo.InvariantCulture, $"{operationsPerCell:N0} operations per cell ({20 * operationsPerCell:N0} for reads and for every in-memory cell), split evenly across the tasks (at least 5 each)")));
        Console.WriteLine($"Report written to {report}");

        foreach (var check in Targets.Evaluate(results, starvation))
        {
            Console.WriteLine($"[target] {check.Outcome.Replace("**", "", StringComparison.Ordinal),-24} {check.Target}: {check.Measured}");
        }

        var acornFailures = results.Where(r => r.Contender == "Acorn" && (r.LostUpdates != 0 || r.StoreDivergence != 0 || r.Errors != 0)).ToList();
        foreach (var failure in acornFailures)
        {
            Console.Error.WriteLine($"Acorn lost {failure.LostUpdates} updates, diverged from its store by {failure.StoreDivergence} and had {failure.Errors} errors in {failure.Store}/{failure.Scenario}/{failure.Tasks}.");
        }

        return acornFailures.Count == 0 ? 0 : 1;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
