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
}
