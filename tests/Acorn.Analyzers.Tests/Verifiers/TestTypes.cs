namespace Acorn.Analyzers.Tests.Verifiers;

/// <summary>Lock types and helpers for test sources that need them.</summary>
internal static class TestTypes
{
    /// <summary>
    /// The shape of NGitLab's mock client (fixed there after a SynchronizationLockException in production): a helper
    /// that enters a monitor and returns a releaser whose Dispose exits it.
    /// </summary>
    public const string ClientContext = """
        sealed class ClientContext
        {
            private readonly object _operationLock = new();

            public IDisposable BeginOperationScope()
            {
                Monitor.Enter(_operationLock);
                return new Releaser(_operationLock);
            }

            private sealed class Releaser(object operationLock) : IDisposable
            {
                public void Dispose() => Monitor.Exit(operationLock);
            }
        }

        """;

    /// <summary>Async lock types in the shape of Acorn.Threading, DotNext and Nito.</summary>
    public const string AsyncLocks = """

        namespace Locks
        {
            sealed class AsyncMutex<T>
            {
                public ValueTask<Guard> LockAsync(CancellationToken cancellationToken = default) => default;
                public bool TryLock(out Guard guard) { guard = default; return true; }
                public struct Guard : IDisposable { public void Dispose() { } }
            }

            sealed class AsyncRwLock<T>
            {
                public ValueTask<Guard> ReadLockAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask<Guard> WriteLockAsync(CancellationToken cancellationToken = default) => default;
                public bool TryReadLock(out Guard guard) { guard = default; return true; }
                public bool TryWriteLock(out Guard guard) { guard = default; return true; }
                public struct Guard : IDisposable { public void Dispose() { } }
            }

            sealed class KeyedAsyncLock<TKey>
            {
                public ValueTask<Guard> LockAsync(TKey key, CancellationToken cancellationToken = default) => default;
                public bool TryLock(TKey key, out Guard guard) { guard = default; return true; }
                public struct Guard : IDisposable { public void Dispose() { } }
            }

            sealed class AsyncLock
            {
                public Task<Releaser> LockAsync() => Task.FromResult(new Releaser());
                public Task<Releaser?> TryLockAsync(TimeSpan timeout) => Task.FromResult<Releaser?>(null);
                public sealed class Releaser : IDisposable, IAsyncDisposable
                {
                    public void Dispose() { }
                    public ValueTask DisposeAsync() => default;
                }
            }

            sealed class AsyncReaderWriterLock
            {
                public Task<IDisposable> ReaderLockAsync() => Task.FromResult<IDisposable>(null!);
                public Task<IDisposable> WriterLockAsync() => Task.FromResult<IDisposable>(null!);
            }

            sealed class AsyncExclusiveLock
            {
                public ValueTask AcquireAsync(CancellationToken token = default) => default;
                public ValueTask<bool> TryAcquireAsync(TimeSpan timeout, CancellationToken token = default) => default;
                public bool TryAcquire() => true;
                public void Release() { }
            }
        }
        """;
}
