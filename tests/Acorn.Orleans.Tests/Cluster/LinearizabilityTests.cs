using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// Many clients read, compare-and-set, blind-write, read-modify-write, delete and create a few contexts through the
/// cluster at once; the recorded history must be linearizable per context, across deletes and creations again
/// (<see cref="LinearizabilityWorkload"/>).
/// </summary>
/// <param name="cluster">The cluster and its storage server: each subclass picks one.</param>
public abstract class LinearizabilityTests(ContextCluster cluster)
{
    private const int ContextCount = 3;
    private const int Clients = 16;
    private const int OperationsEach = 80;

    [Fact]
    public async Task Concurrent_Reads_Writes_Deletes_And_Creates_On_A_Few_Contexts_Are_Linearizable()
    {
        var contexts = cluster.Contexts;
        var calls = new ContextCalls(contexts.GetAsync, contexts.CreateAsync, contexts.UpdateAsync, contexts.UpdateAsync, contexts.DeleteAsync);
        var ids = Enumerable.Range(0, ContextCount).Select(i => $"{GetType().Name}-{i}").ToArray();

        var entries = await LinearizabilityWorkload.RunAsync(calls, ids, Clients, OperationsEach, TestContext.Current.CancellationToken);

        LinearizabilityWorkload.AssertLinearizable(entries, ContextCount, Clients, OperationsEach);
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
        await hot.CompareAndSetUncontendedAsync(Ct);
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
        Assert.Equal(1 + (hotClients * operationsEach) + 2 + 1, entries.Count);
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

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
