using Acorn.Threading;
using BenchmarkDotNet.Attributes;
using DotNext.Threading;
using NitoAsyncLock = Nito.AsyncEx.AsyncLock;

namespace Acorn.Bench.Primitives;

/// <summary>
/// 64 tasks hammer one exclusive lock; each holds it across one <see cref="Task.Yield"/>, so every acquisition by
/// the others has to queue and every release is a hand-off to a waiter. Reported time is per acquisition.
/// </summary>
[MemoryDiagnoser]
public class ContendedHandoffBenchmarks : IDisposable
{
    private const int Tasks = 64;
    private const int PerTask = 100;

    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncMutex<int> _mutex = new(0);
    private readonly AsyncExclusiveLock _dotNext = new();
    private readonly NitoAsyncLock _nito = new();
    private int _counter;

    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks * PerTask)]
    public Task SemaphoreSlim() => RunAsync(async () =>
    {
        for (var i = 0; i < PerTask; i++)
        {
            await _semaphore.WaitAsync();
            try
            {
                await CriticalSectionAsync();
            }
            finally
            {
                _semaphore.Release();
            }
        }
    });

    [Benchmark(OperationsPerInvoke = Tasks * PerTask)]
    public Task AcornAsyncMutex() => RunAsync(async () =>
    {
        for (var i = 0; i < PerTask; i++)
        {
            using var guard = await _mutex.LockAsync();
            await CriticalSectionAsync();
        }
    });

    [Benchmark(OperationsPerInvoke = Tasks * PerTask)]
    public Task DotNextAsyncExclusiveLock() => RunAsync(async () =>
    {
        for (var i = 0; i < PerTask; i++)
        {
            await _dotNext.AcquireAsync();
            try
            {
                await CriticalSectionAsync();
            }
            finally
            {
                _dotNext.Release();
            }
        }
    });

    [Benchmark(OperationsPerInvoke = Tasks * PerTask)]
    public Task NitoAsyncLock() => RunAsync(async () =>
    {
        for (var i = 0; i < PerTask; i++)
        {
            using var key = await _nito.LockAsync();
            await CriticalSectionAsync();
        }
    });

    public void Dispose()
    {
        _semaphore.Dispose();
        _dotNext.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Task RunAsync(Func<Task> body)
    {
        var tasks = new Task[Tasks];
        for (var i = 0; i < Tasks; i++)
        {
            tasks[i] = Task.Run(body);
        }

        return Task.WhenAll(tasks);
    }

    private async Task CriticalSectionAsync()
    {
        _counter++;
        await Task.Yield();
    }
}
