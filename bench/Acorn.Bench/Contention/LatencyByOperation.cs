using HdrHistogram;

namespace Acorn.Bench.Contention;

/// <summary>
/// The latency of a Mixed cell's creates, increments and reads kept apart, one histogram per task and kind (no task
/// records into another's), so that the report can show which of the three a contender is slow at.
/// </summary>
internal sealed class LatencyByOperation
{
    private static readonly Scenario[] Kinds = [Scenario.Create, Scenario.SharedUpdate, Scenario.Reads];

    private readonly LongHistogram[][] _histograms;

    public LatencyByOperation(int tasks, long highestTrackable)
    {
        _histograms = [.. Kinds.Select(_ => Enumerable.Range(0, tasks).Select(_ => new LongHistogram(highestTrackable, 3)).ToArray())];
    }

    /// <summary>Records one operation of <paramref name="kind"/> by <paramref name="task"/> that took <paramref name="elapsedTicks"/>.</summary>
    public void Record(int task, Scenario kind, long elapsedTicks)
    {
        var histogram = _histograms[Array.IndexOf(Kinds, kind)][task];
        histogram.RecordValue(Math.Min(elapsedTicks, histogram.HighestTrackableValue));
    }

    /// <summary>Every task's histograms of each kind, merged.</summary>
    public IReadOnlyDictionary<Scenario, HistogramBase> Merged()
    {
        var merged = new Dictionary<Scenario, HistogramBase>();
        for (var k = 0; k < Kinds.Length; k++)
        {
            var all = new LongHistogram(_histograms[k][0].HighestTrackableValue, 3);
            foreach (var histogram in _histograms[k])
            {
                all.Add(histogram);
            }

            merged[Kinds[k]] = all;
        }

        return merged;
    }
}
