using Acorn.Bench.Contention;
using Acorn.Contexts;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The cells of one run over a running cluster and a SQLite node: seeding, the timed calls, and the count of
/// acknowledged updates that the stored contexts are checked against at the end.
/// </summary>
/// <param name="options">The run's options.</param>
/// <param name="grains">The cluster's client.</param>
/// <param name="rows">The plain UPDATE floor.</param>
/// <param name="grainRows">The provider-statement floor.</param>
/// <param name="cluster">The context path through the cluster's client.</param>
/// <param name="secondClient">The context path through a second cluster client (its own connection and local turns).</param>
/// <param name="sqlite">The single-node path.</param>
internal sealed class OrleansRun(
    OrleansBenchOptions options, IGrainFactory grains, PostgresRows rows, PostgresGrainRows grainRows, IContextPath cluster, IContextPath secondClient, IContextPath sqlite)
    : IDisposable
{
    private const int SeedParallelism = 32;

    // The same content every time, about the size of the HTTP bench's PUT bodies.
    public static readonly ContextContent BlindContent =
        ContextContent.Parse("""{"n":0,"note":"a blind update: the same bytes every time, replacing whatever is there"}""");

    // One merge patch per task, setting the task's own field: the patched document stays small.
    private static readonly ContextPatch[] Patches = [.. Enumerable.Range(0, 64).Select(t =>
        ContextPatch.Parse(ContextPatchKind.MergePatch, $$$"""{"note":"a merge patch","tasks":{"t{{{t}}}":true}}"""))];

    private readonly long[] _acknowledged = new long[Enum.GetValues<Operation>().Length];
    private readonly long[] _attempts = new long[Enum.GetValues<Operation>().Length];
    private readonly VersionsPerWrite _versionsPerWrite = new();

    /// <summary>What a storing operation acknowledged over the whole run (warm-ups included) and what its contexts hold.</summary>
    public sealed record Ledger(Operation Operation, long Acknowledged, long Stored)
    {
        public long Lost => Math.Max(0, Acknowledged - Stored);
    }

    /// <summary>
    /// Creates every context the cells update, on both paths, and activates every bare grain, so that no cell measures
    /// a create or an activation (a short warm-up at 1 task does not reach a thousand grains).
    /// </summary>
    public async Task SeedAsync()
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = SeedParallelism };
        var ids = new[] { Operation.ClusterBlind, Operation.ClusterPatch, Operation.ClusterIncrement, Operation.ClusterIncrementTwoClients }
            .SelectMany(o => StoredIds(o.IdPrefix())).ToList();
        foreach (var path in new[] { cluster, sqlite })
        {
            await Parallel.ForEachAsync(ids, parallel, async (id, _) => await path.CreateAsync(id, Counter.Content(0)));
        }

        await rows.CreateAsync(StoredIds(Operation.PostgresUpdate.IdPrefix()));
        await grainRows.CreateAsync(StoredIds(Operation.PostgresProviderWrite.IdPrefix()));
        await Parallel.ForEachAsync(StoredIds("bare"), parallel, async (id, _) => await grains.GetGrain<IBareCounterGrain>(id).IncrementAsync());
    }

    public async Task<OrleansCell> MeasureAsync(Operation operation, Spread spread, int tasks)
    {
        var call = Call(operation, spread, tasks);
        await TimedCell.RunAsync(tasks, options.Warmup, call);
        // Garbage from the warm-up or the previous cell should not be collected inside this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var attemptsBefore = Interlocked.Read(ref _attempts[(int)operation]);
        var writesBefore = _versionsPerWrite.Sample();
        var calls = await TimedCell.RunAsync(tasks, options.Duration, call);
        var writesAfter = _versionsPerWrite.Sample();
        double? attempts = operation.IsIncrement() && calls.Succeeded > 0
            ? (double)(Interlocked.Read(ref _attempts[(int)operation]) - attemptsBefore) / calls.Succeeded
            : null;
        double? versionsPerWrite = operation.IsCluster() && writesAfter.Writes > writesBefore.Writes
            ? (double)(writesAfter.Versions - writesBefore.Versions) / (writesAfter.Writes - writesBefore.Writes)
            : null;
        return new OrleansCell(operation, spread, tasks, calls, attempts, versionsPerWrite);
    }

    /// <summary>
    /// Reads every stored context back: a blind update adds one version, an increment one to the counter, so their sums
    /// must cover every acknowledged update (more is possible only after an error whose write landed anyway).
    /// </summary>
    public async Task<IReadOnlyList<Ledger>> CheckAsync()
    {
        var ledgers = new List<Ledger>
        {
            new(Operation.PostgresUpdate, Interlocked.Read(ref _acknowledged[(int)Operation.PostgresUpdate]), await rows.StoredUpdatesAsync()),
            new(Operation.PostgresProviderWrite, Interlocked.Read(ref _acknowledged[(int)Operation.PostgresProviderWrite]), await grainRows.StoredUpdatesAsync()),
        };
        foreach (var operation in Enum.GetValues<Operation>().Where(o => o.IsCluster() || o.IsSqlite()))
        {
            var path = PathOf(operation);
            long stored = 0;
            await Parallel.ForEachAsync(StoredIds(operation.IdPrefix()), new ParallelOptions { MaxDegreeOfParallelism = SeedParallelism },
                async (id, _) =>
                {
                    var state = await path.GetAsync(id);
                    Interlocked.Add(ref stored, operation.IsIncrement() ? Counter.Of(state) : state.Version - 1);
                });
            ledgers.Add(new Ledger(operation, Interlocked.Read(ref _acknowledged[(int)operation]), stored));
        }

        return ledgers;
    }

    private IEnumerable<string> StoredIds(string prefix) =>
        Enumerable.Range(0, options.DistinctContexts).Select(k => $"{prefix}-{k}").Append($"{prefix}-hot");

    public void Dispose() => _versionsPerWrite.Dispose();

    private IContextPath PathOf(Operation operation) => operation.IsCluster() ? cluster : sqlite;

    /// <summary>Task <c>t</c>'s <c>i</c>-th context: its own slice (every tasks-th context from t) or the hot one.</summary>
    private string Id(Operation operation, Spread spread, int tasks, int task, long i) => spread == Spread.Hot
        ? $"{operation.IdPrefix()}-hot"
        : $"{operation.IdPrefix()}-{task + (i % (options.DistinctContexts / tasks) * tasks)}";

    private Func<int, long, Task> Call(Operation operation, Spread spread, int tasks) => async (task, i) =>
    {
        var id = Id(operation, spread, tasks, task, i);
        switch (operation)
        {
            case Operation.BareCall:
                await grains.GetGrain<IBareCounterGrain>(id).IncrementAsync();
                break;
            case Operation.PostgresUpdate:
                await rows.UpdateAsync(id);
                break;
            case Operation.PostgresProviderWrite:
                await grainRows.UpdateAsync(id);
                break;
            case Operation.ClusterBlind or Operation.SqliteBlind:
                await PathOf(operation).UpdateAsync(id, BlindContent);
                break;
            case Operation.ClusterPatch or Operation.SqlitePatch:
                await PathOf(operation).PatchAsync(id, Patches[task]);
                break;
            default:
                var path = operation == Operation.ClusterIncrementTwoClients && task % 2 == 1 ? secondClient : PathOf(operation);
                await path.UpdateAsync(id, state =>
                {
                    Interlocked.Increment(ref _attempts[(int)operation]);
                    return Counter.Content(Counter.Of(state) + 1);
                });
                break;
        }

        Interlocked.Increment(ref _acknowledged[(int)operation]);
    };
}
