using System.Globalization;
using System.Text;

namespace Acorn.Bench.Contention;

internal static partial class ContentionReport
{
    private static void WriteScenarios(StringBuilder md, ContentionRun run)
    {
        foreach (var scenario in run.Results.Select(r => r.Scenario).Distinct().Order())
        {
            var cells = run.Results.Where(r => r.Scenario == scenario).ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Scenario: {scenario}").AppendLine()
              .AppendLine(Describe(scenario)).AppendLine()
              .AppendLine("| Store | Throughput vs concurrency | p99 latency vs concurrency |")
              .AppendLine("|---|---|---|");
            foreach (var store in cells.Select(r => r.Store).Distinct().Order())
            {
                if (run.Charts.TryGetValue((store, scenario), out var chart))
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {store} | ![{scenario} on {store}: throughput]({chart.Throughput}) | ![{scenario} on {store}: p99]({chart.P99}) |");
                }
            }

            md.AppendLine()
              .AppendLine("| Store | Tasks | Contender | ops/s | change vs naive | mean µs | p50 µs | p95 µs | p99 µs | p99 change vs naive | max µs | lock wait ms (acquisitions) | evaluations per update | versions per commit | CPU ms | allocated KB per op | peak threads | errors | lost | diverged |")
              .AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var cell in cells.GroupBy(r => (r.Store, r.Tasks)).OrderBy(g => g.Key.Store).ThenBy(g => g.Key.Tasks))
            {
                var naive = cell.FirstOrDefault(r => r.Contender == Naive);
                foreach (var r in cell)
                {
                    var lockWait = r.LockWait is { } wait ? string.Create(CultureInfo.InvariantCulture, $"{wait.Total.TotalMilliseconds:N1} ({wait.Acquisitions:N0})") : "—";
                    var diverged = Ceilings.IsCeiling(r.Contender) ? "—"
                        : r.RefusedByStore is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{r.StoreDivergence} ({r.RefusedByStore:N0} refused)")
                        : r.StoreDivergence.ToString(CultureInfo.InvariantCulture);
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {r.Store} | {r.Tasks} | {Label(r.Contender)} | {r.Throughput:N0} | {(naive is null ? "—" : Ratio(r.Throughput, naive.Throughput))} | " +
                        $"{N(r.MeanMicroseconds)} | {N(r.LatencyMicroseconds(50))} | {N(r.LatencyMicroseconds(95))} | {N(r.LatencyMicroseconds(99))} | " +
                        $"{(naive is null ? "—" : Ratio(r.LatencyMicroseconds(99), naive.LatencyMicroseconds(99)))} | {N(r.MaxMicroseconds)} | {lockWait} | " +
                        $"{(r.EvaluationsPerUpdate is { } evaluations ? evaluations.ToString("N2", CultureInfo.InvariantCulture) : "—")} | {(r.VersionsPerCommit is { } versions ? versions.ToString("N1", CultureInfo.InvariantCulture) : "—")} | " +
                        $"{r.CpuTime.TotalMilliseconds:N0} | {r.AllocatedPerOperation / 1024:N2} | {r.PeakThreads} | {r.Errors} | {r.LostUpdates} | {diverged} |");
                }
            }

            md.AppendLine();
            WriteOperationLatencies(md, cells);
        }
    }

    private static string Describe(Scenario scenario) => scenario switch
    {
        Scenario.Create => "Every operation creates a new context (no two tasks touch the same id).",
        Scenario.SharedUpdate => "Every operation increments one shared context: read, add one, write back (the lost-update test).",
        Scenario.Reads => "Every operation reads one of 10 contexts; nothing writes.",
        _ => "Each task cycles through create, shared increment and read (a third each).",
    };
}
