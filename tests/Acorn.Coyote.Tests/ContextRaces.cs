using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

/// <summary>
/// Schedule exploration of <see cref="ContextManager"/>'s races (DESIGN section 3 and the traps of section 9), over a
/// store that yields on every call so that Coyote can interleave the manager's steps with the store's, and over a
/// pipelining store (writes accepted at once, committed later in order) that exercises the manager's pipelined writes.
/// </summary>
public sealed partial class ContextRaces
{
    [Fact]
    public void ConcurrentCreatesOfOneId_ExactlyOneWins() => Systematic.Run(() => CreateCreateBody(new YieldingStore()));

    [Fact]
    public void ConcurrentCreatesOfOneId_ExactlyOneWins_Pipelined() => Systematic.Run(() => CreateCreateBody(new PipeliningStore()));

    [Fact]
    public void UpdateRacingDelete_NeverResurrects() => Systematic.Run(() => UpdateDeleteBody(new YieldingStore()));

    [Fact]
    public void UpdateRacingDelete_NeverResurrects_Pipelined() => Systematic.Run(() => UpdateDeleteBody(new PipeliningStore()));

    [Fact]
    public void ReadModifyWrite_LosesNoUpdate_AndVersionsStepByOne() => Systematic.Run(() => ReadModifyWriteBody(new YieldingStore()));

    [Fact]
    public void ReadModifyWrite_LosesNoUpdate_AndVersionsStepByOne_Pipelined() => Systematic.Run(() => ReadModifyWriteBody(new PipeliningStore()));

    [Fact]
    public void RacingCreators_NeverExceedTheCap() => Systematic.Run(CapBody);

    private static async Task CreateCreateBody(IContextStore store)
    {
        var manager = await NewManagerAsync(store);
        var a = Attempt(() => manager.CreateAsync("x", Counter(1)).AsTask());
        var b = Attempt(() => manager.CreateAsync("x", Counter(2)).AsTask());
        await Task.WhenAll(new[] { a, b });

        Specification.Assert(a.Result ^ b.Result, $"creates succeeded: a={a.Result} b={b.Result}");
        var state = await manager.GetAsync("x");
        Specification.Assert(state.Version == 1 && CounterOf(state) == (a.Result ? 1 : 2), "the stored context is not the winner's");
    }

    private static async Task UpdateDeleteBody(IContextStore store)
    {
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));
        var update = Attempt(() => manager.UpdateAsync("x", Counter(5)).AsTask());
        var readModifyWrite = Attempt(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask());
        var delete = Attempt(() => manager.DeleteAsync("x").AsTask());
        await Task.WhenAll(new[] { update, readModifyWrite, delete });

        Specification.Assert(delete.Result, "the delete failed");
        Specification.Assert(await manager.FindAsync("x") is null, "the context came back after its delete");
        var reloaded = await NewManagerAsync(store);
        Specification.Assert(reloaded.Count == 0, "the store still holds the deleted context");
    }

    private static async Task ReadModifyWriteBody(IContextStore store)
    {
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));
        var versions = new List<long>();

        async Task<bool> IncrementTwice()
        {
            for (var i = 0; i < 2; i++)
            {
                var written = await manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1));
                lock (versions)
                {
                    versions.Add(written.Version);
                }
            }

            return true;
        }

        var tasks = new[] { Task.Run(IncrementTwice), Task.Run(IncrementTwice), Task.Run(IncrementTwice) };
        await Task.WhenAll(tasks);

        var state = await manager.GetAsync("x");
        Specification.Assert(CounterOf(state) == 6 && state.Version == 7, $"count {CounterOf(state)} at version {state.Version}: an update was lost");
        versions.Sort();
        Specification.Assert(versions.SequenceEqual([2L, 3, 4, 5, 6, 7]), $"versions written: {string.Join(',', versions)}");
    }

    private static async Task CapBody()
    {
        var manager = await NewManagerAsync(new YieldingStore(), new ContextOptions { MaxContexts = 2 });
        var creators = new[]
        {
            Attempt(() => manager.CreateAsync("a", Counter(0)).AsTask()),
            Attempt(() => manager.CreateAsync("b", Counter(0)).AsTask()),
            Attempt(() => manager.CreateAsync("c", Counter(0)).AsTask()),
        };
        await Task.WhenAll(creators);

        Specification.Assert(creators.Count(c => c.Result) == 2, $"{creators.Count(c => c.Result)} creates succeeded under a cap of 2");
        Specification.Assert(manager.Count == 2, $"{manager.Count} contexts under a cap of 2");
    }

    private static async Task<ContextManager> NewManagerAsync(IContextStore store, ContextOptions? options = null)
    {
        var manager = new ContextManager(store, options);
        await manager.InitializeAsync();
        return manager;
    }

    /// <summary>Runs a write on its own task; true when it succeeded, false when it failed with a context error.</summary>
    private static Task<bool> Attempt(Func<Task> write) => Task.Run(async () =>
    {
        try
        {
            await write();
            return true;
        }
        catch (ContextException)
        {
            return false;
        }
    });

    private static ContextContent Counter(long n) => ContextContent.Parse($$"""{"n":{{n}}}""");

    private static long CounterOf(ContextState state) => state.Data.GetProperty("n").GetInt64();

    /// <summary>An in-memory store that yields before every operation, as a real store's I/O would.</summary>
    private sealed class YieldingStore() : DelegatingContextStore(new InMemoryContextStore())
    {
        public override async Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            return await Inner.ReadSummaryAsync(cancellationToken);
        }

        public override async Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return await Inner.ReadContextsAsync(after, limit, cancellationToken);
        }

        public override async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken)
        {
            await Task.Yield();
            await Inner.WriteAsync(write, cancellationToken);
        }

        public override async Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return await Inner.ListRecoveryPointsAsync(contextId, cancellationToken);
        }

        public override async Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return await Inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);
        }
    }
}
