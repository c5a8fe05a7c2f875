using System.Diagnostics;

namespace Acorn.Bench.OrleansCluster;

/// <summary>The measurements of one operation at one spread and concurrency.</summary>
/// <param name="AttemptsPerUpdate">How often a read-modify-write function ran per acknowledged update (1: no retries); null for other operations.</param>
/// <param name="VersionsPerWrite">Context versions per storage write of the grains during the cell; null for cells that write no context on the cluster.</param>
internal sealed record OrleansCell(Operation Operation, Spread Spread, int Tasks, TimedCell.Calls Calls, double? AttemptsPerUpdate, double? VersionsPerWrite)
{
    public double Throughput => Calls.Succeeded / Calls.Elapsed.TotalSeconds;

    /// <summary>A latency percentile in milliseconds (the histogram records Stopwatch ticks).</summary>
    public double LatencyMilliseconds(double percentile) =>
        Calls.Latency.GetValueAtPercentile(percentile) * 1_000.0 / Stopwatch.Frequency;
}
