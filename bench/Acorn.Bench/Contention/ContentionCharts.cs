using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Acorn.Bench.Contention;

/// <summary>
/// SVG charts of the matrix, two per store and scenario: throughput vs concurrency and p99 latency vs concurrency, one line per
/// contender (ceilings thin, with open squares). Both axes are logarithmic: the designs differ by orders of magnitude, and tasks double.
/// </summary>
internal static class ContentionCharts
{
    public const string Folder = "performance";

    /// <summary>Writes the charts under <c>outFolder/performance</c>; returns each chart's link relative to <paramref name="outFolder"/>.</summary>
    public static IReadOnlyDictionary<(StoreKind Store, Scenario Scenario), (string Throughput, string P99)> Write(IReadOnlyList<CellResult> results, string outFolder)
    {
        var folder = Directory.CreateDirectory(Path.Combine(outFolder, Folder)).FullName;
        var links = new Dictionary<(StoreKind, Scenario), (string, string)>();
        foreach (var group in results.GroupBy(r => (r.Store, r.Scenario)))
        {
            // The SQLite write ceiling is one writer, one point: a line needs the task counts.
            var series = group.Where(r => r.Contender != Ceilings.SqliteBatched).GroupBy(r => r.Contender).ToList();
            var name = string.Create(CultureInfo.InvariantCulture, $"contention-{group.Key.Store}-{group.Key.Scenario}").ToLowerInvariant();
            var title = $"{group.Key.Scenario} on {group.Key.Store}";
            Save(series, r => r.Throughput, $"{title}: throughput", "operations/s", Path.Combine(folder, name + "-throughput.svg"));
            Save(series, r => r.LatencyMicroseconds(99), $"{title}: p99 latency", "p99 latency (µs)", Path.Combine(folder, name + "-p99.svg"));
            links[group.Key] = ($"{Folder}/{name}-throughput.svg", $"{Folder}/{name}-p99.svg");
        }

        return links;
    }

    private static void Save(IReadOnlyList<IGrouping<string, CellResult>> series, Func<CellResult, double> value, string title, string yLabel, string path)
    {
        var plot = new Plot();
        var tasks = series.SelectMany(s => s).Select(r => r.Tasks).Distinct().Order().ToArray();
        foreach (var contender in series)
        {
            var points = contender.OrderBy(r => r.Tasks).Select(r => (X: Math.Log2(r.Tasks), Y: value(r))).Where(p => p.Y > 0).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
            line.LegendText = contender.Key;
            line.MarkerSize = 7;
            line.LineWidth = 2;
            if (Ceilings.IsCeiling(contender.Key))
            {
                // Open squares and a thin line, not a dash pattern: Skia's SVG backend cannot write dashes (it warns on stdout).
                line.MarkerShape = MarkerShape.OpenSquare;
                line.LineWidth = 1;
            }
        }

        plot.Axes.Bottom.SetTicks([.. tasks.Select(t => Math.Log2(t))], [.. tasks.Select(t => t.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("#,0.###", CultureInfo.InvariantCulture),
        };
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel("concurrent tasks");
        plot.YLabel(yLabel + ", log scale");
        // Beside the data, not over it: the lines cross, and any corner hides some of their points.
        plot.ShowLegend(Edge.Right);
        plot.SaveSvg(path, 860, 420);
    }
}
