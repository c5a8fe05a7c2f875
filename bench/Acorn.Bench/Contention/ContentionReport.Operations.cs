using System.Globalization;
using System.Text;

namespace Acorn.Bench.Contention;

internal static partial class ContentionReport
{
    /// <summary>
    /// Under the Mixed scenario's table: its high-contention cells' latency per operation, so that a gap between two
    /// designs shows in the operation it comes from (a create, a shared increment, a read).
    /// </summary>
    private static void WriteOperationLatencies(StringBuilder md, IReadOnlyList<CellResult> cells)
    {
        var split = cells.Where(r => r.LatencyByOperation is not null && r.Tasks >= 32).ToList();
        if (split.Count == 0)
        {
            return;
        }

        md.AppendLine("Latency by operation at 32-64 tasks (p50 / p99 µs of each kind of operation in the cell):").AppendLine()
          .AppendLine("| Store | Tasks | Contender | create | shared increment | read |")
          .AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var r in split.OrderBy(r => r.Store).ThenBy(r => r.Tasks))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Store} | {r.Tasks} | {Label(r.Contender)} | {Pair(r, Scenario.Create)} | {Pair(r, Scenario.SharedUpdate)} | {Pair(r, Scenario.Reads)} |");
        }

        md.AppendLine();
    }

    private static string Pair(CellResult cell, Scenario kind) =>
        cell.OperationMicroseconds(kind, 50) is { } p50 && cell.OperationMicroseconds(kind, 99) is { } p99 ? $"{N(p50)} / {N(p99)}" : "—";
}
