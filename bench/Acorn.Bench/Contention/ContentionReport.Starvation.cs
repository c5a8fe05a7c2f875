using System.Globalization;
using System.Text;

namespace Acorn.Bench.Contention;

internal static partial class ContentionReport
{
    private static void WriteStarvation(StringBuilder md, IReadOnlyList<StarvationResult> starvation)
    {
        if (starvation.Count == 0)
        {
            return;
        }

        md.AppendLine("## Thread-pool starvation").AppendLine()
          .AppendLine("N tasks released together, each creating its own contexts (no shared context, so nothing serialises them but the design)")
          .AppendLine(CultureInfo.InvariantCulture, $"on the simulated remote store ({Starvation.CommitLatency.TotalMilliseconds:0} ms per commit). Each contender runs in a fresh child process with")
          .AppendLine("the default (cold) thread pool: the pool never shrinks within a process, so a peak measured after another contender")
          .AppendLine("would be that contender's. Peak pool threads: `ThreadPool.ThreadCount` sampled every 5 ms by a dedicated thread.")
          .AppendLine("A child still running at its cap is killed (by PID) and reported as timed out with the operations done by then;")
          .AppendLine("its p99 is then at least the cap when more than 1% of the operations had not finished.").AppendLine()
          .AppendLine("| Tasks | Contender | outcome | operations done | completion time | p50 µs | p99 µs | max µs | peak pool threads |")
          .AppendLine("|---:|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in starvation)
        {
            var last = r.Last;
            var outcome = r.Completed ? "completed" : r.TimedOut ? string.Create(CultureInfo.InvariantCulture, $"**timed out** at {r.Cap.TotalSeconds:0} s (killed)") : $"failed: {r.Failure}";
            var completion = r.Completed ? string.Create(CultureInfo.InvariantCulture, $"{last!.ElapsedMs:N0} ms") : string.Create(CultureInfo.InvariantCulture, $"> {r.Cap.TotalSeconds:0} s");
            string Latency(Func<StarvationLine, double> pick) => r.Completed ? string.Create(CultureInfo.InvariantCulture, $"{pick(last!):N0}") : "—";
            var p99 = r.Completed ? Latency(l => l.P99Us) : r.P99LowerBoundUs is { } bound ? string.Create(CultureInfo.InvariantCulture, $"≥ {bound:N0}") : "—";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Tasks} | {r.Contender} | {outcome} | {last?.Completed ?? 0:N0} / {r.Total:N0} | {completion} | {Latency(l => l.P50Us)} | {p99} | {Latency(l => l.MaxUs)} | {(last is null ? "—" : last.PeakThreads.ToString("N0", CultureInfo.InvariantCulture))} |");
        }

        md.AppendLine();
    }
}
