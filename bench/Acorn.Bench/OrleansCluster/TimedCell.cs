using System.Diagnostics;
using Acorn.Bench.Timing;
using Acorn.Contexts;
using HdrHistogram;
using Orleans.Runtime;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// Runs one operation from N tasks for a fixed time, every call timed. A fixed time, not a
/// fixed count: a bare grain call and a durable write differ by orders of magnitude, and both cells should last as long.
/// </summary>
internal static class TimedCell
{
    private static readonly long HighestTrackable = Stopwatch.Frequency * 60;

    /// <summary>The calls of one timed run.</summary>
    public sealed record Calls(long Succeeded, long Errors, TimeSpan Elapsed, HistogramBase Latency, double MachineBusy, double ProcessBusy);

    /// <summary>Runs <paramref name="call"/> from <paramref name="tasks"/> tasks until <paramref name="duration"/> is over.</summary>
    /// <param name="tasks">Concurrent callers, released together.</param>
    /// <param name="duration">How long; a task starts no call after it and finishes the one it is in.</param>
    /// <param name="call">One call by task <c>t</c>, its <c>i</c>-th.</param>
    public static async Task<Calls> RunAsync(int tasks, TimeSpan duration, Func<int, long, Task> call)
    {
        long succeeded = 0, errors = 0, deadline = 0;
        var workers = new GatedTasks(tasks, HighestTrackable, async (task, histogram) =>
        {
            for (long i = 0; Stopwatch.GetTimestamp() < Volatile.Read(ref deadline); i++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(task, i);
                    Interlocked.Increment(ref succeeded);
                }
                catch (Exception ex) when (ex is ContextException or TimeoutException or OrleansException)
                {
                    Interlocked.Increment(ref errors);
                }

                GatedTasks.Record(histogram, started);
            }
        });

        var before = CpuSample.Take();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        await workers.RunAsync();
        clock.Stop();
        var after = CpuSample.Take();
        var latency = workers.Merged();
        return new Calls(succeeded, errors, clock.Elapsed, latency, after.MachineBusySince(before), after.ProcessBusySince(before));
    }
}
