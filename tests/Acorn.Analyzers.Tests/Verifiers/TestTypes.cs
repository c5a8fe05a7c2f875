namespace Acorn.Analyzers.Tests.Verifiers;

/// <summary>Async lock types in the shape of Acorn.Threading, DotNext and Nito, for test sources that need them.</summary>
internal static class TestTypes
{
    public const string AsyncLocks = """

        namespace Locks
        {
            sealed class AsyncMutex<T>
            {
                public ValueTask<Guard> LockAsync(CancellationToken cancellationToken = default) => default;
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
                public void Release() { }
            }
        }
        """;
}
