using Acorn.Threading;
using BenchmarkDotNet.Attributes;
using DotNext.Threading;

namespace Acorn.Bench.Primitives;

/// <summary>Read and write acquire and release of a free reader-writer lock.</summary>
[MemoryDiagnoser]
public class UncontendedRwLockBenchmarks : IDisposable
{
    private readonly AsyncRwLock<int> _rwLock = new(0);
    private readonly AsyncReaderWriterLock _dotNext = new();

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornAsyncRwLockRead()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _rwLock.ReadLockAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task DotNextAsyncReaderWriterLockRead()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            await _dotNext.EnterReadLockAsync();
            _dotNext.Release();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task AcornAsyncRwLockWrite()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            using var guard = await _rwLock.WriteLockAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = PrimitiveSuite.Operations)]
    public async Task DotNextAsyncReaderWriterLockWrite()
    {
        for (var i = 0; i < PrimitiveSuite.Operations; i++)
        {
            await _dotNext.EnterWriteLockAsync();
            _dotNext.Release();
        }
    }

    public void Dispose()
    {
        _dotNext.Dispose();
        GC.SuppressFinalize(this);
    }
}
