using Acorn.Bench.Contention;
using Acorn.Contexts;
using BenchmarkDotNet.Attributes;

namespace Acorn.Bench.Primitives;

/// <summary>
/// The price of one create among many contexts: Acorn's <see cref="ContextManager.CreateAsync"/> (a turn of its own, the
/// ordered index of ids behind listing, the content check) against the original's async design (seed async: a write
/// lock, a dictionary write, the store write after it), each over its own in-memory store that already holds
/// <see cref="Existing"/> contexts; 40,000 creates of ids in no particular order per invocation. Each iteration starts
/// from freshly filled stores, so that every invocation creates ids that do not exist yet.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(6)]
public class ContextManagerCreateBenchmarks
{
    private const int Creates = 40_000;

    private ContextManager _manager = null!;
    private SeedAsyncContender _seed = null!;
    private string[] _ids = [];

    /// <summary>How many contexts each store holds before the creates.</summary>
    [Params(64_000, 256_000)]
    public int Existing { get; set; }

    [IterationSetup]
    public async Task FillAsync()
    {
        // The same ids every iteration, in the same random order: the first Existing fill the stores, the rest are created.
        var random = new Random(Existing);
        var ids = Enumerable.Range(0, Existing + Creates).Select(_ => $"ctx-{random.NextInt64():x16}").ToArray();
        _manager = new ContextManager(new InMemoryContextStore(), new ContextOptions { MaxContexts = Existing + Creates });
        _seed = new SeedAsyncContender(new InMemoryContextStore());
        for (var i = 0; i < Existing; i++)
        {
            await _manager.CreateAsync(ids[i], Counter.Content(0));
            await _seed.CreateAsync(ids[i]);
        }

        _ids = ids[Existing..];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Creates)]
    public async Task SeedAsyncCreate()
    {
        foreach (var id in _ids)
        {
            await _seed.CreateAsync(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Creates)]
    public async Task ContextManagerCreateAsync()
    {
        foreach (var id in _ids)
        {
            await _manager.CreateAsync(id, Counter.Content(0));
        }
    }
}
