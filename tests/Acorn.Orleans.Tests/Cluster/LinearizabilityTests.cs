using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// Many clients read, compare-and-set, blind-write and read-modify-write a few contexts through the cluster at once;
/// the recorded history must be linearizable per context (<see cref="HistoryChecker"/>).
/// </summary>
/// <remarks>
/// Each client compares-and-sets at the last version it observed, so some of its writes win and some are refused, and
/// every write carries its own tag, so a read shows which write it saw. Clients start at one gate and keep their own
/// seeded random choice of operation and context.
/// </remarks>
/// <param name="cluster">The cluster and its storage server: each subclass picks one.</param>
public abstract class LinearizabilityTests(ContextCluster cluster)
{
    private const int ContextCount = 3;
    private const int Clients = 16;
    private const int OperationsEach = 80;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_Reads_And_Writes_On_A_Few_Contexts_Are_Linearizable()
    {
        var contexts = cluster.Contexts;
        var history = new OperationHistory();
        var ids = Enumerable.Range(0, ContextCount).Select(i => $"{GetType().Name}-{i}").ToArray();
        foreach (var id in ids)
        {
            await history.RecordAsync(id, HistoryOperation.Create, null, () => contexts.CreateAsync(id, Tagged("create"), Ct));
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients)
            .Select(c => Task.Run(async () =>
            {
                await gate.Task;
                await RunClientAsync(contexts, history, ids, c);
            }, Ct))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(clients);
        foreach (var id in ids)
        {
            // A read after every answer: the real-time check makes it show the last write.
            await history.RecordAsync(id, HistoryOperation.Read, null, () => contexts.GetAsync(id, Ct));
        }

        var entries = history.Entries;
        var violations = HistoryChecker.Check(entries);
        var cas = entries.Where(e => e.Operation == HistoryOperation.CompareAndSet).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{entries.Count} operations, {entries.Count(e => e.Wrote)} writes, compare-and-set {cas.Count(e => !e.Refused)} written / " +
            $"{cas.Count(e => e.Refused)} refused");

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Equal(ContextCount + Clients * OperationsEach + ContextCount, entries.Count);
        // Without both outcomes the compare-and-set checks would have checked nothing.
        Assert.Contains(cas, e => e.Refused);
        Assert.Contains(cas, e => !e.Refused);
        // A read-modify-write computes from the state it replaces: the one at the version before its own.
        Assert.All(entries.Where(e => e.Operation == HistoryOperation.ReadModifyWrite),
            e => Assert.Equal(e.Version - 1, e.Data!.Value.GetProperty("after").GetInt64()));
    }

    [Fact]
    public async Task Thirty_Two_Clients_On_One_Hot_Context_Are_Linearizable_And_Share_Storage_Writes()
    {
        const int hotClients = 32;
        const int operationsEach = 40;
        var id = $"{GetType().Name}-hot";
        var hot = new HotContextHistory(cluster.Contexts, id);
        await hot.CreateAsync(Ct);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, hotClients)
            .Select(c => Task.Run(async () =>
            {
                await gate.Task;
                await hot.RunClientAsync(c, operationsEach, Ct);
            }, Ct))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(clients);
        await hot.History.RecordAsync(id, HistoryOperation.Read, null, () => cluster.Contexts.GetAsync(id, Ct));

        var entries = hot.History.Entries;
        var violations = HistoryChecker.Check(entries).Concat(hot.PatchViolations()).ToList();
        var cas = entries.Where(e => e.Operation == HistoryOperation.CompareAndSet).ToList();
        var storageWrites = cluster is PostgresCluster postgres ? postgres.Faults.WritesOf(id) : [];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{entries.Count} operations, {entries.Count(e => e.Wrote)} writes ({hot.PatchesWritten} patches), compare-and-set " +
            $"{cas.Count(e => !e.Refused)} written / {cas.Count(e => e.Refused)} refused; " +
            (storageWrites.Count > 0 ? $"{storageWrites.Count} storage writes, at most {storageWrites.Max(w => w.Versions)} versions in one" : "storage writes not observed (Redis)"));

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Equal(1 + (hotClients * operationsEach) + 1, entries.Count);
        Assert.Contains(cas, e => e.Refused);
        Assert.Contains(cas, e => !e.Refused);
        Assert.True(hot.PatchesWritten > 0, "no patch was written: the patch checks checked nothing");
        Assert.All(hot.ComputedWrites(), e => Assert.Equal(e.Version - 1, e.Data!.Value.GetProperty("after").GetInt64()));
        if (storageWrites.Count > 0)
        {
            // 32 clients at once on one grain: writes that arrive during a storage write share the next one.
            Assert.Contains(storageWrites, w => w.Versions > 1);
        }
    }

    private static async Task RunClientAsync(ContextGrainClient contexts, OperationHistory history, string[] ids, int client)
    {
        var random = new Random(client);
        var lastSeen = ids.ToDictionary(id => id, _ => 1L);
        for (var i = 0; i < OperationsEach; i++)
        {
            var id = ids[random.Next(ids.Length)];
            var tag = $"{client}:{i}";
            var kind = random.Next(10) switch
            {
                < 3 => HistoryOperation.Read,
                < 6 => HistoryOperation.CompareAndSet,
                < 8 => HistoryOperation.BlindWrite,
                _ => HistoryOperation.ReadModifyWrite,
            };
            var expected = kind == HistoryOperation.CompareAndSet ? lastSeen[id] : (long?)null;
            try
            {
                var state = await history.RecordAsync(id, kind, expected, kind switch
                {
                    HistoryOperation.Read => () => contexts.GetAsync(id, Ct),
                    HistoryOperation.ReadModifyWrite => () => contexts.UpdateAsync(id, s => Tagged(tag, after: s.Version), Ct),
                    _ => () => contexts.UpdateAsync(id, Tagged(tag), expected, Ct),
                });
                lastSeen[id] = state.Version;
            }
            catch (ContextVersionConflictException conflict)
            {
                lastSeen[id] = conflict.ActualVersion;
            }
        }
    }

    private static ContextContent Tagged(string tag, long? after = null) => new(after is { } version
        ? JsonSerializer.SerializeToElement(new { tag, after = version })
        : JsonSerializer.SerializeToElement(new { tag }));
}
