using Acorn.Bench.Contention;
using Acorn.Contexts;
using BenchmarkDotNet.Attributes;

namespace Acorn.Bench.Primitives;

/// <summary>
/// The price of one uncontended update, which issue 13's 1-task target compares: Acorn's read-modify-write of a counter
/// through <see cref="ContextManager.UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// against the original's async design (seed async: a read lock, a write lock, the store write after it), each over
/// its own in-memory store; 1,000 increments of one context per invocation. BenchmarkDotNet's statistics make this the
/// steadier reading of that cost; the contention run's rotating rounds measure the same two paths inside its harness.
/// </summary>
[MemoryDiagnoser]
public class ContextManagerUpdateBenchmarks
{
    private const string Id = "counter";

    // Made once, as a caller of a hot path would (a lambda written at the call would allocate a delegate per update).
    private readonly Func<ContextState, ContextContent> _increment = state => Counter.Content(Counter.Of(state) + 1);
    private ContextManager _manager = null!;
    private SeedAsyncContender _seed = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _manager = new ContextManager(new InMemoryContextStore());
        await _manager.CreateAsync(Id, Counter.Content(0));
        _seed = new SeedAsyncContender(new InMemoryContextStore());
        await _seed.CreateAsync(Id);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task SeedAsyncIncrement()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            await _seed.IncrementAsync(Id);
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task<long> ContextManagerUpdateAsync()
    {
        long version = 0;
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            version = (await _manager.UpdateAsync(Id, _increment)).Version;
        }

        return version;
    }
}
