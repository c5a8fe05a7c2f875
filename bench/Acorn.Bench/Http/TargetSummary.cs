using static Acorn.Bench.Reporting.Statistics;

namespace Acorn.Bench.Http;

/// <summary>A target's measured runs over all rounds (warm-ups excluded) and their medians.</summary>
internal sealed record TargetSummary(HttpTarget Target, IReadOnlyList<WrkResult> Rounds)
{
    public double RequestsPerSecond => Median(Rounds.Select(r => r.RequestsPerSecond));

    public double P50 => Median(Rounds.Select(r => r.P50));

    public double P99 => Median(Rounds.Select(r => r.P99));

    public double CpuPerRequest => Median(Rounds.Select(r => r.ServerCpuPerRequest));

    public double WorstP99 => Rounds.Max(r => r.P99);

    public long Non2xx => Rounds.Sum(r => r.Non2xx);

    public long SocketErrors => Rounds.Sum(r => r.SocketErrors);

    public double MedianOf(Func<WrkResult, double> value) => Median(Rounds.Select(value).Where(v => !double.IsNaN(v)));
}
