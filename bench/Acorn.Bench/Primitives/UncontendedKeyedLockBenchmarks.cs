using Acorn.Threading;
using BenchmarkDotNet.Attributes;

namespace Acorn.Bench.Primitives;

/// <summary>Acquire and release of a free key: the same key each time, and a new key each time (entry created and removed).</summary>
[MemoryDiagnoser]
public class UncontendedKeyedLockBenchmarks : IDisposable
{
    private readonly KeyedAsyncLock<int> _locks = new();
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private int _nextKey;

    [Benchmark(Baseline = true, OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task SemaphoreSlim()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            await _semaphore.WaitAsync();
            _semaphore.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornKeyedAsyncLockSameKey()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _locks.LockAsync(42);
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornKeyedAsyncLockDistinctKeys()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _locks.LockAsync(_nextKey++);
        }
    }

    public void Dispose()
    {
        _semaphore.Dispose();
        GC.SuppressFinalize(this);
    }
}
