using System.Globalization;
using System.Text;

namespace Acorn.Bench.Contention;

internal static partial class ContentionReport
{
    /// <summary>The template's two summaries: few tasks (the designs barely contend) and many (they contend all the time).</summary>
    private static readonly (string Title, int From, int To)[] Bands = [("Low contention (1-4 tasks)", 1, 4), ("High contention (32-64 tasks)", 32, 64)];

    private static void WriteBands(StringBuilder md, IReadOnlyList<CellResult> results, string heading)
    {
        foreach (var (title, from, to) in Bands)
        {
            var inBand = results.Where(r => r.Tasks >= from && r.Tasks <= to && !Ceilings.IsCeiling(r.Contender)).ToList();
            if (inBand.Count == 0)
            {
                continue;
            }

            var measured = string.Join(", ", inBand.Select(r => r.Tasks).Distinct().Order());
            md.AppendLine(CultureInfo.InvariantCulture, $"{heading} {title}").AppendLine()
              .AppendLine(CultureInfo.InvariantCulture, $"Per scenario and store, over the task counts this run measured in the band ({measured}): mean throughput, worst p99, lost updates added up.").AppendLine()
              .AppendLine("| Scenario | Store | naive ops/s | seed ops/s | Acorn ops/s | seed change vs naive | Acorn change vs naive | Acorn x *ceiling* | p99 µs naive / seed / Acorn | Acorn p99 change vs naive | lost naive / seed / Acorn |")
              .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var cell in inBand.GroupBy(r => (r.Scenario, r.Store)).OrderBy(g => g.Key.Scenario).ThenBy(g => g.Key.Store))
            {
                var naive = Band.Of(cell, Naive);
                var seed = Band.Of(cell, Seed);
                var acorn = Band.Of(cell, Acorn);
                var ceiling = CeilingOf(results, cell.Key.Store, cell.Key.Scenario, cell.Max(r => r.Tasks));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {cell.Key.Scenario} | {cell.Key.Store} | {N(naive.Throughput)} | {N(seed.Throughput)} | {N(acorn.Throughput)} | " +
                    $"{Ratio(seed.Throughput, naive.Throughput)} | {Ratio(acorn.Throughput, naive.Throughput)} | {(ceiling is null ? "—" : Ratio(acorn.Throughput, ceiling.Throughput))} | " +
                    $"{N(naive.P99)} / {N(seed.P99)} / {N(acorn.P99)} | {Ratio(acorn.P99, naive.P99)} | {naive.Lost} / {seed.Lost} / {acorn.Lost} |");
            }

            md.AppendLine();
        }
    }

    /// <summary>One contender's figures over the cells of a band.</summary>
    private sealed record Band(double Throughput, double P99, long Lost)
    {
        public static Band Of(IEnumerable<CellResult> cells, string contender)
        {
            var mine = cells.Where(r => r.Contender == contender).ToList();
            return mine.Count == 0
                ? new Band(double.NaN, double.NaN, 0)
                : new Band(mine.Average(r => r.Throughput), mine.Max(r => r.LatencyMicroseconds(99)), mine.Sum(r => r.LostUpdates));
        }
    }
}
