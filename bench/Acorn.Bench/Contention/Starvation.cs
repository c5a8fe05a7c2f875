using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Acorn.Bench.Reporting;
using Acorn.Bench.Timing;
using HdrHistogram;

namespace Acorn.Bench.Contention;

/// <summary>One line a starvation child writes to stdout: progress while it runs (<see cref="Done"/> false), then the result.</summary>
internal sealed record StarvationLine(
    bool Done,
    string Contender,
    int Tasks,
    long Total,
    long Completed,
    double ElapsedMs,
    int PeakThreads,
    int ProcessorCount,
    double P50Us,
    double P99Us,
    double MaxUs);

/// <summary>The starvation scenario's result for one contender at one task count, read from its child process.</summary>
internal sealed record StarvationResult(string Contender, int Tasks, long Total, StarvationLine? Last, bool TimedOut, TimeSpan Cap, string? Failure)
{
    public bool Completed => !TimedOut && Failure is null && Last is { Done: true };

    /// <summary>The p99 in microseconds, or, when the child was stopped with more than 1% of operations unfinished, the cap (a lower bound).</summary>
    public double? P99LowerBoundUs => Completed
        ? Last!.P99Us
        : Last is { } last && last.Completed < Total * 0.99 ? Cap.TotalMicroseconds : null;
}

/// <summary>
/// Thread-pool starvation: N tasks each creating contexts on the simulated remote store (2 ms per commit), each contender
/// in a fresh child process (the pool does not shrink within a process, so a peak measured after another contender would
/// be that contender's). The parent re-invokes this executable with <c>contention-starvation-cell</c> and reads JSON lines.
/// </summary>
internal static class Starvation
{
    public const string CellCommand = "contention-starvation-cell";
    public static readonly TimeSpan CommitLatency = TimeSpan.FromMilliseconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The parent: one child per contender and task count, each stopped (killed by PID) after <paramref name="cap"/>.</summary>
    public static async Task<IReadOnlyList<StarvationResult>> RunAsync(int[] taskCounts, int operationsPerTask, TimeSpan cap, IRunProgress progress)
    {
        var results = new List<StarvationResult>();
        progress.BeginStage("starvation", taskCounts.Length * ContentionRunner.Contenders.Length);
        foreach (var tasks in taskCounts)
        {
            foreach (var contender in ContentionRunner.Contenders)
            {
                progress.Status(string.Create(CultureInfo.InvariantCulture, $"{contender}, {tasks} tasks (child process, cap {cap.TotalSeconds:0} s)"));
                var result = await RunChildAsync(contender, tasks, operationsPerTask, cap);
                results.Add(result);
                var last = result.Last;
                progress.Step(string.Create(CultureInfo.InvariantCulture,
                    $"{tasks,5} tasks  {contender,-10} {(result.TimedOut ? $"TIMED OUT after {cap.TotalSeconds:0} s" : result.Failure ?? "completed")}  " +
                    $"{last?.Completed ?? 0}/{result.Total} ops in {last?.ElapsedMs ?? 0:N0} ms  p99 {(result.Completed ? $"{last!.P99Us:N0} µs" : "—")}  peak pool threads {last?.PeakThreads ?? 0}"));
            }
        }

        return results;
    }

    private static async Task<StarvationResult> RunChildAsync(string contender, int tasks, int operationsPerTask, TimeSpan cap)
    {
        var start = SelfProcess.StartInfo([CellCommand, "--contender", contender, "--tasks", Invariant(tasks), "--ops", Invariant(operationsPerTask)]);
        var total = (long)tasks * operationsPerTask;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        StarvationLine? last = null;
        var stdout = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('{'))
                {
                    Volatile.Write(ref last, JsonSerializer.Deserialize<StarvationLine>(line, Json));
                }
            }
        });
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(cap);
        var timedOut = false;
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            // The naive design can block every pool thread for minutes: stop this child (by its PID) and report it.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        await stdout;
        var errors = await stderr;
        var failure = !timedOut && child.ExitCode != 0 ? $"exit code {child.ExitCode}: {errors.Trim()}" : null;
        return new StarvationResult(contender, tasks, total, Volatile.Read(ref last), timedOut, cap, failure);
    }

    /// <summary>The child: runs one contender, reports progress every 500 ms from a dedicated thread (pool threads may all be blocked).</summary>
    public static async Task<int> RunCellAsync(string[] args)
    {
        var contenderName = Option(args, "--contender") ?? throw new ArgumentException("--contender is required.");
        var tasks = int.Parse(Option(args, "--tasks") ?? "1024", CultureInfo.InvariantCulture);
        var operationsPerTask = int.Parse(Option(args, "--ops") ?? "1", CultureInfo.InvariantCulture);

        var store = new SimulatedRemoteStore(CommitLatency);
        var contender = ContentionRunner.CreateContender(contenderName, store);
        using var disposable = contender as IDisposable;
        await ContentionRunner.SeedAsync(contender); // also JITs the create path, untimed

        var highest = Stopwatch.Frequency * 600;
        long completed = 0;
        var peak = ThreadPool.ThreadCount;
        var total = (long)tasks * operationsPerTask;
        var clock = new Stopwatch();
        var finished = new ManualResetEventSlim();
        StarvationLine Line(bool done, HistogramBase? latency) => new(
            done, contenderName, tasks, total, Interlocked.Read(ref completed), clock.Elapsed.TotalMilliseconds, Volatile.Read(ref peak), Environment.ProcessorCount,
            Microseconds(latency, 50), Microseconds(latency, 99), latency is null ? 0 : latency.GetMaxValue() * 1_000_000.0 / Stopwatch.Frequency);

        var sampler = new Thread(() =>
        {
            var lastReport = Stopwatch.StartNew();
            while (!finished.Wait(5))
            {
                Volatile.Write(ref peak, Math.Max(Volatile.Read(ref peak), ThreadPool.ThreadCount));
                if (lastReport.ElapsedMilliseconds >= 500)
                {
                    Console.WriteLine(JsonSerializer.Serialize(Line(done: false, latency: null), Json));
                    lastReport.Restart();
                }
            }
        })
        { IsBackground = true, Name = "starvation sampler" };

        var workers = new GatedTasks(tasks, highest, async (task, histogram) =>
        {
            for (var i = 0; i < operationsPerTask; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await contender.CreateAsync(string.Create(CultureInfo.InvariantCulture, $"starved-{task}-{i}"));
                GatedTasks.Record(histogram, started);
                Interlocked.Increment(ref completed);
            }
        });

        sampler.Start();
        clock.Start();
        await workers.RunAsync();
        clock.Stop();
        finished.Set();
        sampler.Join();
        Volatile.Write(ref peak, Math.Max(Volatile.Read(ref peak), ThreadPool.ThreadCount));

        var latency = workers.Merged();

        Console.WriteLine(JsonSerializer.Serialize(Line(done: true, latency), Json));
        return 0;
    }

    private static double Microseconds(HistogramBase? latency, double percentile) =>
        latency is null ? 0 : latency.GetValueAtPercentile(percentile) * 1_000_000.0 / Stopwatch.Frequency;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
