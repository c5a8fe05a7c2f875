using System.Collections.Concurrent;
using Acorn.Contexts;
using BenchmarkDotNet.Attributes;

namespace Acorn.Bench.Primitives;

/// <summary>
/// The price of a read through <see cref="ContextManager.GetAsync"/> (id validation, the loaded check, expiry, the awaited
/// ValueTask) next to the bare <see cref="ConcurrentDictionary{TKey, TValue}"/> lookup it is built on. Ten contexts, read
/// round-robin; 1,000 reads per invocation.
/// </summary>
[MemoryDiagnoser]
public class ContextManagerGetBenchmarks
{
    private const int Contexts = 10;
    private readonly string[] _ids = [.. Enumerable.Range(0, Contexts).Select(i => $"context-{i}")];
    private readonly ConcurrentDictionary<string, ContextState> _concurrent = new(StringComparer.Ordinal);
    private ContextManager _manager = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _manager = new ContextManager(new InMemoryContextStore());
        foreach (var id in _ids)
        {
            var state = await _manager.CreateAsync(id, ContextContent.Parse("""{"n":0}"""));
            _concurrent[id] = state;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PrimitiveSuite.Operations)]
    public long ConcurrentDictionaryTryGetValue()
    {
        long versions = 0;
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            versions += _concurrent.TryGetValue(_ids[i % Contexts], out var state) ? state.Version : 0;
        }

        return versions;
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task<long> ContextManagerGetAsync()
    {
        long versions = 0;
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            versions += (await _manager.GetAsync(_ids[i % Contexts])).Version;
        }

        return versions;
    }
}
