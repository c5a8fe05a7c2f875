using System.Diagnostics;
using HdrHistogram;

namespace Acorn.Bench.Scale;

/// <summary>The median and 99th percentile of some timed calls, in microseconds.</summary>
internal sealed record LatencySummary(double P50, double P99, long Count)
{
    public static LatencySummary Of(HistogramBase histogram) => new(
        Micros(histogram.GetValueAtPercentile(50)), Micros(histogram.GetValueAtPercentile(99)), histogram.TotalCount);

    /// <summary>Times <paramref name="calls"/> calls of <paramref name="call"/> one after another.</summary>
    public static async Task<LatencySummary> MeasureAsync(int calls, Func<int, ValueTask> call)
    {
        var histogram = new LongHistogram(Stopwatch.Frequency * 60, 3);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            histogram.RecordValue(Math.Min(Stopwatch.GetTimestamp() - started, histogram.HighestTrackableValue));
        }

        return Of(histogram);
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
