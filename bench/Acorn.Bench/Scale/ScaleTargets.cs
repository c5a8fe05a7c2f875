using System.Globalization;
using Acorn.Bench.Contention;

namespace Acorn.Bench.Scale;

/// <summary>Issue 18's targets at a million contexts, checked against one run.</summary>
internal static class ScaleTargets
{
    public const int TargetSize = 1_000_000;

    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<ScaleResult> results, HttpScaleResult? http, LatencySummary smallHot)
    {
        var at = results.FirstOrDefault(r => r.Contexts == TargetSize);
        var c = CultureInfo.InvariantCulture;
        if (at is null)
        {
            return [new TargetCheck($"Targets at {TargetSize:N0} contexts", "—", null, null, Issue: 18)];
        }

        var worstPage = new[] { at.ListFirst, at.ListMiddle, at.ListLast, at.ListPrefix }.Max(l => l.P99);
        var overhead = Math.Max(at.OverheadAfterCreate, at.OverheadAfterLoad);
        var hotRatio = at.GetHot.P50 / smallHot.P50;
        List<TargetCheck> checks =
        [
            new(
                "List page p99 ≤ 5 ms (ContextManager, 100 a page, first, middle, last and a prefix)",
                string.Create(c, $"{worstPage / 1000:N2} ms worst p99 (first {at.ListFirst.P99 / 1000:N2}, middle {at.ListMiddle.P99 / 1000:N2}, last {at.ListLast.P99 / 1000:N2}, prefix {at.ListPrefix.P99 / 1000:N2})"),
                worstPage <= 5_000,
                "A page walks the ordered index from its start, then reads each context from the map: this machine's load shows in the tail.",
                Issue: 18),
            http is null
                ? new("List page p99 ≤ 10 ms over HTTP", "not measured in this run (--no-http)", null, null, Issue: 18)
                : new(
                    "List page p99 ≤ 10 ms over HTTP",
                    string.Create(c, $"{new[] { http.ListFirst, http.ListMiddle, http.ListLast }.Max(l => l.P99) / 1000:N2} ms worst p99 (first {http.ListFirst.P99 / 1000:N2}, middle {http.ListMiddle.P99 / 1000:N2}, last {http.ListLast.P99 / 1000:N2})"),
                    new[] { http.ListFirst, http.ListMiddle, http.ListLast }.Max(l => l.P99) <= 10_000,
                    "Over HTTP a page also pays the request, authentication, and serializing 100 states of about 100 bytes each.",
                    Issue: 18),
            new(
                "First read ≤ 1 s after a restart",
                string.Create(c, $"{at.RestartFirstRead.TotalMilliseconds:N0} ms (writes served after {at.RestartOpen.TotalMilliseconds:N0} ms)"),
                at.RestartFirstRead <= TimeSpan.FromSeconds(1),
                "The first read opens the file and reads one row; anything slower is the machine.",
                Issue: 18),
            new(
                "Fully loaded ≤ 5 s after a restart",
                string.Create(c, $"{at.RestartLoaded.TotalSeconds:N2} s"),
                at.RestartLoaded <= TimeSpan.FromSeconds(5),
                "The load reads every row (one SQLite step and one UTF-8 copy each), checks its JSON and puts it in the map and the ordered index, on one thread of a shared 2-core machine.",
                Issue: 18),
            new(
                "Overhead ≤ 400 bytes per context beyond the data JSON",
                string.Create(c, $"{overhead:N0} bytes (after the creates {at.OverheadAfterCreate:N0}, after a restart {at.OverheadAfterLoad:N0}; data {at.MeanDataBytes:N0} bytes, no metadata)"),
                overhead <= 400,
                "Per context: the id string, the map's node, the state, its data array, the index node.",
                Issue: 18),
            new(
                "Hot reads as fast as today's: GetAsync p50 at 1M within 1.25x of 1,000 contexts in memory",
                string.Create(c, $"{hotRatio:N2}x ({at.GetHot.P50 * 1000:N0} ns against {smallHot.P50 * 1000:N0} ns; cold {at.GetCold.P50 * 1000:N0} ns)"),
                hotRatio <= 1.25,
                "A read is one dictionary lookup either way; timer resolution and the machine's load move a sub-microsecond median.",
                Issue: 18),
        ];
        return checks;
    }
}
