using System.Diagnostics;
using Acorn.Bench.Timing;
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using HdrHistogram;

namespace Acorn.Bench.Contention;

/// <summary>Runs one cell: fresh store, fresh contender, N tasks released together, every operation timed.</summary>
internal static class ContentionRunner
{
    private const int ReadSetSize = 10;
    private static readonly long HighestTrackable = Stopwatch.Frequency * 60;
    private static readonly LockWaitListener LockWaits = new();

    public static async Task<CellResult> RunAsync(StoreKind storeKind, Scenario scenario, string contenderName, int tasks, int operationsPerTask)
    {
        using var folder = new TempFolder();
        var store = OpenStore(storeKind, folder.Path);
        try
        {
            var contender = CreateContender(contenderName, store);
            using var disposable = contender as IDisposable;
            await SeedAsync(contender);
            var batchesBefore = (store as SqliteContextStore)?.CommittedBatches;
            var evaluationsBefore = (contender as AcornContender)?.Evaluations;
            var refusedBefore = (contender as SeedAsyncContender)?.Refused;
            var result = await MeasureAsync(storeKind, scenario, contender, tasks, operationsPerTask);
            result = result with
            {
                EvaluationsPerUpdate = contender is AcornContender acorn && result.Increments > 0 ? (double)(acorn.Evaluations - evaluationsBefore!.Value) / result.Increments : null,
                VersionsPerCommit = contender is AcornContender && scenario == Scenario.SharedUpdate && store is SqliteContextStore sqlite
                    ? (double)result.Increments / Math.Max(1, sqlite.CommittedBatches - batchesBefore!.Value)
                    : null,
                RefusedByStore = contender is SeedAsyncContender seed ? seed.Refused - refusedBefore!.Value : null,
            };
            // A ceiling has no store underneath: nothing to diverge from.
            return Ceilings.IsCeiling(contenderName) ? result : result with { StoreDivergence = await StoreDivergenceAsync(store, contender) };
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    public static readonly string[] Contenders = ["naive sync", "seed async", "Acorn"];

    /// <summary>Whether the contender blocks pool threads while it waits (naive sync: a thread-affine lock held across I/O).</summary>
    public static bool BlocksThreads(string contender) => contender == "naive sync";

    /// <summary>
    /// The contenders of one cell. In-memory SharedUpdate also runs Acorn with an all-contexts subscriber: publishing
    /// takes a monitor only while someone subscribes, so only there can its cost show (issue 15 item 4).
    /// </summary>
    public static IEnumerable<string> For(StoreKind store, Scenario scenario) =>
        store == StoreKind.InMemory && scenario == Scenario.SharedUpdate
            ? [.. Contenders, AcornContender.WithFeed, .. Ceilings.For(store, scenario)]
            : [.. Contenders, .. Ceilings.For(store, scenario)];

    /// <summary>
    /// The designs built on Acorn.Threading locks, whose lock wait the meter reports: seed async's global lock. Naive sync
    /// uses ReaderWriterLockSlim; Acorn takes no lock (a context's writes take turns instead).
    /// </summary>
    public static bool UsesAcornLocks(string contender) => contender is "seed async";

    private static async Task<CellResult> MeasureAsync(StoreKind storeKind, Scenario scenario, IContender contender, int tasks, int operationsPerTask)
    {
        long errors = 0, increments = 0, created = 0;
        var byOperation = scenario == Scenario.Mixed ? new LatencyByOperation(tasks, HighestTrackable) : null;
        var workers = new GatedTasks(tasks, HighestTrackable, async (task, histogram) =>
        {
            for (var i = 0; i < operationsPerTask; i++)
            {
                var kind = Pick(scenario, i);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    switch (kind)
                    {
                        case Scenario.Create:
                            await contender.CreateAsync($"new-{task}-{i}");
                            Interlocked.Increment(ref created);
                            break;
                        case Scenario.SharedUpdate:
                            await contender.IncrementAsync("shared");
                            Interlocked.Increment(ref increments);
                            break;
                        default:
                            await contender.ReadAsync($"read-{(task + i) % ReadSetSize}");
                            break;
                    }
                }
                catch (Exception ex) when (ex is ContextException or InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                }

                var elapsed = Stopwatch.GetTimestamp() - started;
                GatedTasks.RecordElapsed(histogram, elapsed);
                byOperation?.Record(task, kind, elapsed);
            }
        });

        // Each cell starts from a collected heap, as a BenchmarkDotNet iteration does: the garbage of the cells before it
        // (or of the warm-up) is not collected on its time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        using var threads = new PeakThreadSampler();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        LockWaits.Take();
        var clock = Stopwatch.StartNew();
        await workers.RunAsync();
        clock.Stop();
        var lockWait = LockWaits.Take();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;

        var latency = workers.Merged();
        var lost = increments - await contender.ReadAsync("shared");
        return new CellResult(storeKind, scenario, contender.Name, tasks, (long)tasks * operationsPerTask, errors, lost, clock.Elapsed, cpu, allocated, threads.Peak, latency)
        {
            LockWait = UsesAcornLocks(contender.Name) ? lockWait : null,
            Increments = increments,
            LatencyByOperation = byOperation?.Merged(),
        };
    }

    /// <summary>How far the durable counter is from the in-memory one: writes acknowledged in memory that the store never took.</summary>
    private static async Task<long> StoreDivergenceAsync(IContextStore store, IContender contender)
    {
        var stored = await store.ReadContextAsync("shared", CancellationToken.None)
            ?? throw new InvalidOperationException("The store lost the shared context.");
        return Math.Abs(await contender.ReadAsync("shared") - Counter.Of(stored));
    }

    private static Scenario Pick(Scenario scenario, int i) => scenario == Scenario.Mixed
        ? (i % 3) switch { 0 => Scenario.Create, 1 => Scenario.SharedUpdate, _ => Scenario.Reads }
        : scenario;

    internal static async Task SeedAsync(IContender contender)
    {
        await contender.CreateAsync("shared");
        for (var i = 0; i < ReadSetSize; i++)
        {
            await contender.CreateAsync($"read-{i}");
        }
    }

    internal static IContender CreateContender(string name, IContextStore store) => name switch
    {
        "naive sync" => new NaiveSyncContender(store),
        "seed async" => new SeedAsyncContender(store),
        "Acorn" => new AcornContender(new ContextManager(store, new ContextOptions { MaxContexts = 10_000_000 })),
        AcornContender.WithFeed => new AcornContender(new ContextManager(store, new ContextOptions { MaxContexts = 10_000_000 }), subscribed: true),
        Ceilings.SemaphoreDictionary => new SemaphoreDictionaryCeiling(),
        Ceilings.ConcurrentDictionary => new ConcurrentDictionaryCeiling(),
        _ => throw new ArgumentException($"Unknown contender '{name}'.", nameof(name)),
    };

    internal static IContextStore OpenStore(StoreKind kind, string folder) => kind switch
    {
        StoreKind.InMemory => new InMemoryContextStore(),
        StoreKind.SimulatedRemote => new SimulatedRemoteStore(TimeSpan.FromMilliseconds(2)),
        _ => new SqliteContextStore(new SqliteContextStoreOptions
        {
            Path = Path.Combine(folder, "bench.db"),
            Durability = kind == StoreKind.SqliteFull ? Durability.Full : Durability.Normal,
        }),
    };

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("acorn-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
