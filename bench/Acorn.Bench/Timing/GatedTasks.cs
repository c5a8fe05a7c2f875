using System.Diagnostics;
using HdrHistogram;

namespace Acorn.Bench.Timing;

/// <summary>
/// N tasks that start their loops together when released, each timing its calls into a histogram of its own (no
/// shared counter between them while they run); the histograms are merged when all are done.
/// </summary>
internal sealed class GatedTasks
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LongHistogram[] _histograms;
    private readonly Task[] _workers;

    /// <summary>Starts the tasks; each waits for <see cref="RunAsync"/> before it runs <paramref name="loop"/>.</summary>
    /// <param name="tasks">How many.</param>
    /// <param name="highestTrackable">The longest call the histograms hold, in Stopwatch ticks (longer ones are recorded as this).</param>
    /// <param name="loop">Task <c>t</c>'s loop; it times each call with <see cref="Record"/> into the histogram it is given.</param>
    public GatedTasks(int tasks, long highestTrackable, Func<int, LongHistogram, Task> loop)
    {
        _histograms = new LongHistogram[tasks];
        _workers = new Task[tasks];
        for (var t = 0; t < tasks; t++)
        {
            var task = t;
            var histogram = _histograms[task] = new LongHistogram(highestTrackable, 3);
            _workers[task] = Task.Run(async () =>
            {
                await _gate.Task;
                await loop(task, histogram);
            });
        }
    }

    /// <summary>Releases every task and completes when all have finished.</summary>
    public Task RunAsync()
    {
        _gate.SetResult();
        return Task.WhenAll(_workers);
    }

    /// <summary>Every task's timings in one histogram.</summary>
    public LongHistogram Merged()
    {
        var merged = new LongHistogram(_histograms[0].HighestTrackableValue, 3);
        foreach (var histogram in _histograms)
        {
            merged.Add(histogram);
        }

        return merged;
    }

    /// <summary>Records the time since <paramref name="started"/> (a Stopwatch timestamp), capped at what the histogram holds.</summary>
    public static void Record(LongHistogram histogram, long started) => RecordElapsed(histogram, Stopwatch.GetTimestamp() - started);

    /// <summary>Records an operation that took <paramref name="elapsedTicks"/> (<see cref="Stopwatch"/> ticks).</summary>
    public static void RecordElapsed(LongHistogram histogram, long elapsedTicks) =>
        histogram.RecordValue(Math.Min(elapsedTicks, histogram.HighestTrackableValue));
}
