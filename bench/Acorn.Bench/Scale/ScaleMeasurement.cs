using System.Diagnostics;
using System.Globalization;
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;

namespace Acorn.Bench.Scale;

/// <summary>
/// One size of the scale suite: creates the contexts through <see cref="ContextManager"/> over SQLite
/// <see cref="Durability.Full"/>, measures listing, reads and memory, then opens the file anew and measures the restart.
/// </summary>
internal static class ScaleMeasurement
{
    private const int CreateTasks = 64;
    private const int PageSize = 100;
    private const int PageSamples = 100;
    private const int ReadSamples = 100_000;

    public static async Task<ScaleResult> RunAsync(ScaleWorkload workload, string folder, Action<string> progress)
    {
        var path = Path.Combine(folder, "acorn.db");
        var failures = new List<string>();
        var created = await CreateAndMeasureAsync(workload, path, failures, progress);
        var restarted = await RestartAsync(workload, path, failures, progress);
        return created with
        {
            RestartOpen = restarted.Open,
            RestartFirstRead = restarted.FirstRead,
            RestartLoaded = restarted.Loaded,
            HeapAfterLoad = restarted.Heap,
            RssAfterLoad = restarted.Rss,
            OverheadAfterLoad = restarted.Overhead,
            DatabaseBytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0),
            Failures = failures,
        };
    }

    /// <summary>The same hot read on a manager of 1,000 contexts in memory: the baseline for reads at scale.</summary>
    public static async Task<LatencySummary> SmallHotReadAsync()
    {
        var manager = new ContextManager(new InMemoryContextStore());
        for (var i = 0; i < 1000; i++)
        {
            await manager.CreateAsync(ScaleWorkload.Id(i), ScaleWorkload.Content(i));
        }

        var hot = ScaleWorkload.Id(500);
        await WarmReadsAsync(manager, hot);
        return await LatencySummary.MeasureAsync(ReadSamples, _ => Discard(manager.GetAsync(hot)));
    }

    private static async Task<ScaleResult> CreateAndMeasureAsync(ScaleWorkload workload, string path, List<string> failures, Action<string> progress)
    {
        var n = workload.Count;
        var heapBefore = Heap();
        var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = path, Durability = Durability.Full });
        try
        {
            var manager = new ContextManager(store, Options(n));
            await manager.InitializeAsync();

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, CreateTasks).Select(task => Task.Run(async () =>
            {
                for (var i = task; i < n; i += CreateTasks)
                {
                    await manager.CreateAsync(ScaleWorkload.Id(i), ScaleWorkload.Content(i));
                }
            })));
            clock.Stop();
            progress(string.Create(CultureInfo.InvariantCulture, $"created {n:N0} contexts in {clock.Elapsed.TotalSeconds:0.0} s"));

            var heap = Heap();
            var rss = Rss();
            var listFirst = await LatencySummary.MeasureAsync(PageSamples, _ => ListAsync(manager, null, null));
            var listMiddle = await LatencySummary.MeasureAsync(PageSamples, _ => ListAsync(manager, workload.IdAt(n / 2), null));
            var listLast = await LatencySummary.MeasureAsync(PageSamples, _ => ListAsync(manager, workload.IdAt(n - PageSize - 1), null));
            var listPrefix = await LatencySummary.MeasureAsync(PageSamples, _ => ListAsync(manager, null, ScaleWorkload.Prefix(ScaleWorkload.Tenants / 2)));
            var scan = await ScanAsync(manager, n, failures, "after the creates");
            progress(string.Create(CultureInfo.InvariantCulture, $"listed: a page {listMiddle.P99:N0} µs p99 (middle), every context in {scan.TotalSeconds:0.0} s"));

            var hot = ScaleWorkload.Id(n / 3);
            await WarmReadsAsync(manager, hot);
            var getHot = await LatencySummary.MeasureAsync(ReadSamples, _ => Discard(manager.GetAsync(hot)));
            var random = new Random(20261201);
            var getCold = await LatencySummary.MeasureAsync(ReadSamples, _ => Discard(manager.GetAsync(ScaleWorkload.Id(random.Next(n)))));
            await CheckSampleAsync(manager, n, failures, "after the creates");

            return new ScaleResult
            {
                Contexts = n,
                MeanDataBytes = workload.MeanDataBytes,
                CreatesPerSecond = n / clock.Elapsed.TotalSeconds,
                ListFirst = listFirst,
                ListMiddle = listMiddle,
                ListLast = listLast,
                ListPrefix = listPrefix,
                FullScan = scan,
                GetHot = getHot,
                GetCold = getCold,
                HeapAfterCreate = heap,
                RssAfterCreate = rss,
                OverheadAfterCreate = ((double)(heap - heapBefore) / n) - workload.MeanDataBytes,
                RestartOpen = TimeSpan.Zero,
                RestartFirstRead = TimeSpan.Zero,
                RestartLoaded = TimeSpan.Zero,
                HeapAfterLoad = 0,
                RssAfterLoad = 0,
                OverheadAfterLoad = 0,
                DatabaseBytes = 0,
                Failures = failures,
            };
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    private static async Task<(TimeSpan Open, TimeSpan FirstRead, TimeSpan Loaded, long Heap, long Rss, double Overhead)> RestartAsync(
        ScaleWorkload workload, string path, List<string> failures, Action<string> progress)
    {
        var n = workload.Count;
        var heapBefore = Heap();
        var clock = Stopwatch.StartNew();
        var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = path, Durability = Durability.Full });
        try
        {
            var manager = new ContextManager(store, Options(n));
            var id = ScaleWorkload.Id(new Random(7).Next(n));
            var first = await manager.GetAsync(id);
            var firstRead = clock.Elapsed;
            await manager.OpenAsync();
            var open = clock.Elapsed;
            await manager.InitializeAsync();
            var loaded = clock.Elapsed;
            progress(string.Create(CultureInfo.InvariantCulture, $"restarted: first read after {firstRead.TotalMilliseconds:N0} ms, writes after {open.TotalMilliseconds:N0} ms, every context loaded after {loaded.TotalMilliseconds:N0} ms"));
            if (first.Data.GetProperty("name").GetString() != $"session-{int.Parse(id.AsSpan(id.IndexOf(":s", StringComparison.Ordinal) + 2), CultureInfo.InvariantCulture):D8}")
            {
                failures.Add($"the first read after the restart returned other data for {id}");
            }

            var heap = Heap();
            var rss = Rss();
            if (manager.Count != n || !manager.LoadStatus.IsComplete || manager.LoadStatus.Quarantined.Count != 0)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"after the restart the manager holds {manager.Count} contexts ({manager.LoadStatus}), not {n}"));
            }

            await ScanAsync(manager, n, failures, "after the restart");
            await CheckSampleAsync(manager, n, failures, "after the restart");
            return (open, firstRead, loaded, heap, rss, ((double)(heap - heapBefore) / n) - workload.MeanDataBytes);
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Pages through every context, checking each id comes once and in order.</summary>
    private static async Task<TimeSpan> ScanAsync(ContextManager manager, int n, List<string> failures, string when)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        string? after = null;
        string? previous = null;
        do
        {
            var page = await manager.ListAsync(PageSize, after);
            foreach (var state in page.Items)
            {
                if (previous is not null && string.CompareOrdinal(previous, state.Id) >= 0)
                {
                    failures.Add($"{when}: '{state.Id}' listed after '{previous}'");
                }

                previous = state.Id;
                seen++;
            }

            after = page.Next;
        }
        while (after is not null);

        if (seen != n)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{when}: paging listed {seen} contexts, not {n}"));
        }

        return clock.Elapsed;
    }

    /// <summary>Reads 1,000 contexts spread over the store and checks each holds the data it was created with.</summary>
    private static async Task CheckSampleAsync(ContextManager manager, int n, List<string> failures, string when)
    {
        for (var i = 0; i < n; i += Math.Max(1, n / 1000))
        {
            var state = await manager.FindAsync(ScaleWorkload.Id(i));
            if (state is null || state.Data.GetRawText() != ScaleWorkload.Json(i))
            {
                failures.Add($"{when}: context {ScaleWorkload.Id(i)} is {(state is null ? "missing" : "different")}");
                return;
            }
        }
    }

    private static async ValueTask ListAsync(ContextManager manager, string? after, string? prefix)
    {
        var page = await manager.ListAsync(PageSize, after, prefix);
        if (page.Items.Count == 0)
        {
            throw new InvalidOperationException($"An empty page after '{after}' (prefix '{prefix}').");
        }
    }

    private static async Task WarmReadsAsync(ContextManager manager, string id)
    {
        for (var i = 0; i < ReadSamples; i++)
        {
            await manager.GetAsync(id);
        }
    }

    private static async ValueTask Discard(ValueTask<ContextState> read) => await read;

    private static ContextOptions Options(int n) => new() { MaxContexts = Math.Max(n * 2, 100_000), ExpirySweepInterval = TimeSpan.Zero };

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
