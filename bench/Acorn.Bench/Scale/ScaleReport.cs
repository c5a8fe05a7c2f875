using System.Globalization;
using System.Text;
using Acorn.Bench.Contention;

namespace Acorn.Bench.Scale;

/// <summary>The generated part of the section "A million contexts on one node" of docs/performance.md.</summary>
internal static class ScaleReport
{
    public const string Marker = "scale-bench";
    public const string Heading = "A million contexts on one node";

    public static string Section(
        ScaleOptions options, IReadOnlyList<ScaleResult> results, HttpScaleResult? http, LatencySummary smallHot,
        IReadOnlyList<TargetCheck> targets, string machine, string loadAtEnd, TimeSpan took)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .AppendLine(c, $"- Machine: {machine}; load average at the end {loadAtEnd}.")
            .AppendLine(c, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; the run took {took.TotalMinutes:0.0} min.")
            .AppendLine(c, $"- Command (from the repository root): `{options.Command}`")
            .AppendLine(c, $"- Workload: contexts of {results[0].MeanDataBytes:N0} bytes of JSON data and no metadata, ids `tNN:sNNNNNNNN` (100 tenants, interleaved), created by 64 tasks through `ContextManager` over SQLite `Durability.Full`; list pages of 100; reads timed one by one, {100_000:N0} each.")
            .AppendLine()
            .AppendLine("| measure | " + string.Join(" | ", results.Select(r => r.Contexts.ToString("N0", c))) + " |")
            .AppendLine("|---|" + string.Concat(results.Select(_ => "---:|")));
        Row(text, "creates per second (64 tasks, each durable)", results, r => r.CreatesPerSecond.ToString("N0", c));
        Row(text, "list page p50 / p99, first (µs)", results, r => Pair(r.ListFirst));
        Row(text, "list page p50 / p99, middle (µs)", results, r => Pair(r.ListMiddle));
        Row(text, "list page p50 / p99, last (µs)", results, r => Pair(r.ListLast));
        Row(text, "list page p50 / p99, one tenant's prefix (µs)", results, r => Pair(r.ListPrefix));
        Row(text, "every context by paging, 100 a page (s)", results, r => r.FullScan.TotalSeconds.ToString("N2", c));
        Row(text, "`GetAsync` p50 / p99, hot (ns)", results, r => Nanos(r.GetHot));
        Row(text, "`GetAsync` p50 / p99, cold: a random context each time (ns)", results, r => Nanos(r.GetCold));
        Row(text, "restart: first read served (ms)", results, r => r.RestartFirstRead.TotalMilliseconds.ToString("N0", c));
        Row(text, "restart: writes served (store summary read, ms)", results, r => r.RestartOpen.TotalMilliseconds.ToString("N0", c));
        Row(text, "restart: every context loaded (ms)", results, r => r.RestartLoaded.TotalMilliseconds.ToString("N0", c));
        Row(text, "managed heap after the creates / after a restart (MB)", results, r => $"{Mb(r.HeapAfterCreate)} / {Mb(r.HeapAfterLoad)}");
        Row(text, "process RSS after the creates / after a restart (MB)", results, r => $"{Mb(r.RssAfterCreate)} / {Mb(r.RssAfterLoad)}");
        Row(text, "heap bytes per context beyond its data, after the creates / after a restart", results, r => $"{r.OverheadAfterCreate:N0} / {r.OverheadAfterLoad:N0}");
        Row(text, "database file (MB)", results, r => Mb(r.DatabaseBytes));
        text.AppendLine()
            .AppendLine(c, $"The baseline for hot reads, measured in the same run: `GetAsync` of one context among 1,000 in memory, p50 / p99 {Nanos(smallHot)} ns.");
        if (http is not null)
        {
            text.AppendLine()
                .AppendLine(c, $"HTTP check: Acorn.Server (Release build, a child process) started on the {http.Contexts:N0}-context database: the first `GET /contexts/{{id}}` answered {http.FirstRead.TotalMilliseconds:N0} ms after the process started (.NET start-up included), `/healthz` said every context was loaded after {http.Loaded.TotalMilliseconds:N0} ms; `GET /contexts?limit=100` p50 / p99: first page {Millis(http.ListFirst)} ms, middle {Millis(http.ListMiddle)} ms, last {Millis(http.ListLast)} ms; the server's RSS once loaded {Mb(http.ServerRss)} MB.");
        }

        text.AppendLine()
            .AppendLine("### Targets (issue 18, at 1,000,000 contexts)")
            .AppendLine()
            .AppendLine("| Target | Measured | Result |")
            .AppendLine("|---|---|---|");
        foreach (var target in targets)
        {
            text.AppendLine(c, $"| {target.Target} | {target.Measured} | {target.Outcome} |");
        }

        var missed = targets.Where(t => t.Met == false).ToList();
        if (missed.Count > 0)
        {
            text.AppendLine().AppendLine("Why the missed targets are missed:").AppendLine();
            foreach (var target in missed)
            {
                text.AppendLine(c, $"- *{target.Target}*: {target.WhyMissed}");
            }
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string measure, IReadOnlyList<ScaleResult> results, Func<ScaleResult, string> cell) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {string.Join(" | ", results.Select(cell))} |");

    private static string Pair(LatencySummary latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.P50:N0} / {latency.P99:N0}");

    private static string Nanos(LatencySummary latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.P50 * 1000:N0} / {latency.P99 * 1000:N0}");

    private static string Millis(LatencySummary latency) => string.Create(CultureInfo.InvariantCulture, $"{latency.P50 / 1000:N2} / {latency.P99 / 1000:N2}");

    private static string Mb(long bytes) => (bytes / 1_048_576.0).ToString("N0", CultureInfo.InvariantCulture);
}
