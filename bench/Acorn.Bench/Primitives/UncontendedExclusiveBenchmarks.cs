using Acorn.Threading;
using BenchmarkDotNet.Attributes;
using DotNext.Threading;
using NitoAsyncLock = Nito.AsyncEx.AsyncLock;

namespace Acorn.Bench.Primitives;

/// <summary>
/// Acquire and release of a free exclusive lock: the cost every caller pays when there is no contention. The keyed lock
/// runs on one key each time, and on a new key each time (its entry created and removed).
/// </summary>
[MemoryDiagnoser]
public class UncontendedExclusiveBenchmarks : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncMutex<int> _mutex = new(0);
    private readonly AsyncExclusiveLock _dotNext = new();
    private readonly NitoAsyncLock _nito = new();
    private readonly KeyedAsyncLock<int> _keyed = new();
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
    public async Task AcornAsyncMutex()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _mutex.LockAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task DotNextAsyncExclusiveLock()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            await _dotNext.AcquireAsync();
            _dotNext.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task NitoAsyncLock()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var key = await _nito.LockAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornKeyedAsyncLockSameKey()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _keyed.LockAsync(42);
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornKeyedAsyncLockDistinctKeys()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _keyed.LockAsync(_nextKey++);
        }
    }

    public void Dispose()
    {
        _semaphore.Dispose();
        _dotNext.Dispose();
        GC.SuppressFinalize(this);
    }
}
