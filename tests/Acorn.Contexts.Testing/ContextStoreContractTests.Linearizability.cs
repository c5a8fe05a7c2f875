using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Contexts.Testing;

/// <summary>
/// The manager's history under concurrent reads, writes, deletes and creates is linearizable per context, and a
/// version kept from a deleted incarnation never matches its successor (DESIGN §3.2, issue 15 item 3).
/// </summary>
public abstract partial class ContextStoreContractTests
{
    [Fact]
    public async Task ConcurrentReadsWritesDeletesAndCreates_OnAFewContexts_AreLinearizable()
    {
        const int contexts = 3, clients = 16, operationsEach = 80;
        var manager = await Managers.NewAsync(null, wrap: null, Ct);
        var ids = Enumerable.Range(0, contexts).Select(i => $"lin-{i}").ToArray();

        var entries = await LinearizabilityWorkload.RunAsync(ContextCalls.Of(manager), ids, clients, operationsEach, Ct);

        LinearizabilityWorkload.AssertLinearizable(entries, contexts, clients, operationsEach);
    }
}
