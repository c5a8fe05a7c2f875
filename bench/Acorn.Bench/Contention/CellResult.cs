using HdrHistogram;

namespace Acorn.Bench.Contention;

/// <summary>The measurements of one contender in one scenario at one concurrency.</summary>
internal sealed record CellResult(
    StoreKind Store,
    Scenario Scenario,
    string Contender,
    int Tasks,
    long Operations,
    long Errors,
    long LostUpdates,
    TimeSpan Elapsed,
    TimeSpan CpuTime,
    long AllocatedBytes,
    int PeakThreads,
    HistogramBase Latency)
{
    /// <summary>Increments visible in memory but missing from the store after the run (the seed design persists out of order).</summary>
    public long StoreDivergence { get; init; }

    /// <summary>Seed async: writes its store refused as stale in the cell (they return without committing anything); null for the others.</summary>
    public long? RefusedByStore { get; init; }

    /// <summary>Time queued for Acorn.Threading locks (meter <c>Acorn.Threading</c>); null for a design that takes none of them.</summary>
    public LockWait? LockWait { get; init; }

    /// <summary>Increments that returned success in the cell.</summary>
    public long Increments { get; init; }

    /// <summary>Acorn: how many times update functions ran per increment (1.0 when none ran twice); null for the others.</summary>
    public double? EvaluationsPerUpdate { get; init; }

    /// <summary>Acorn on SQLite: versions of the shared context per store commit in the cell; null elsewhere.</summary>
    public double? VersionsPerCommit { get; init; }

    /// <summary>Mixed cells: the latency of the creates, increments and reads apart; otherwise <see langword="null"/>.</summary>
    public IReadOnlyDictionary<Scenario, HistogramBase>? LatencyByOperation { get; init; }

    /// <summary>The latency of the <paramref name="kind"/> operations of a Mixed cell at <paramref name="percentile"/>, in µs.</summary>
    public double? OperationMicroseconds(Scenario kind, double percentile) =>
        LatencyByOperation?.TryGetValue(kind, out var histogram) == true && histogram.TotalCount > 0
            ? histogram.GetValueAtPercentile(percentile) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency
            : null;

    /// <summary>Bytes allocated per operation (the process's, all threads).</summary>
    public double AllocatedPerOperation => (double)AllocatedBytes / Operations;

    public double Throughput => Operations / Elapsed.TotalSeconds;

    /// <summary>A latency percentile in microseconds (the histogram records Stopwatch ticks).</summary>
    public double LatencyMicroseconds(double percentile) =>
        Latency.GetValueAtPercentile(percentile) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;

    public double MeanMicroseconds => Latency.GetMean() * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;

    public double MaxMicroseconds => Latency.GetMaxValue() * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
}
