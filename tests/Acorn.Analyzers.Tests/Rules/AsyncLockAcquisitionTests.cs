using Acorn.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

/// <summary>Acquisitions of async locks that are not a direct <c>await x.LockAsync()</c>: synchronous Try*, and a pending acquisition awaited later.</summary>
public sealed class AsyncLockAcquisitionTests
{
    [Theory]
    [InlineData("AsyncMutex<int>", "TryLock(out var guard)")]
    [InlineData("AsyncRwLock<int>", "TryReadLock(out var guard)")]
    [InlineData("AsyncRwLock<int>", "TryWriteLock(out var guard)")]
    [InlineData("KeyedAsyncLock<string>", "TryLock(\"key\", out var guard)")]
    public Task Synchronous_try_lock_that_succeeded_is_held_until_its_guard_is_disposed(string type, string call) => Verify.AnalyzerAsync($$"""
        using Locks;
        class C
        {
            private readonly {{type}} _lock = new();
            async Task M()
            {
                if ({|ACRN003:_lock.{{call}}|})
                {
                    using (guard)
                    {
                        await Task.Yield();
                    }
                }

                await Task.Yield();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Synchronous_try_lock_that_failed_holds_nothing() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                if (!_mutex.TryLock(out var guard))
                {
                    await Task.Yield();
                    return;
                }

                guard.Dispose();
                await Task.Yield();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Synchronous_try_acquire_is_held_until_release() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncExclusiveLock _lock = new();
            async Task M()
            {
                if ({|ACRN003:_lock.TryAcquire()|})
                {
                    try { await Task.Yield(); }
                    finally { _lock.Release(); }
                }

                await Task.Yield();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Blocking_under_a_synchronously_taken_async_lock_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            void M(Task task)
            {
                if (_mutex.TryLock(out var guard))
                {
                    using (guard)
                    {
                        {|ACRN002:task.Wait()|};
                    }
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Pending_acquisition_is_held_from_its_await_not_from_the_call() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                var pending = _mutex.LockAsync();
                await Task.Yield();
                using var guard = {|#0:await pending|};
                {|#1:await Task.Delay(1)|};
            }
        }
        """ + TestTypes.AsyncLocks,
        null,
        Verify.Diagnostic("ACRN003").WithSeverity(DiagnosticSeverity.Info).WithLocation(0).WithLocation(1).WithArguments("_mutex", 1));

    [Fact]
    public Task Pending_acquisition_awaited_with_configure_await_in_a_using_is_recognised() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task M(Task<Locks.AsyncLock.Releaser> other)
            {
                Task<Locks.AsyncLock.Releaser> pending = _lock.LockAsync();
                {|ACRN003:using (await pending.ConfigureAwait(false))|}
                {
                    await Task.Delay(1);
                }

                using (await other)
                {
                    await Task.Delay(1);
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Pending_acquisition_under_a_thread_affine_lock_is_reported_at_its_await() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly object _gate = new();
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                var pending = _mutex.LockAsync();
                Monitor.Enter(_gate);
                using var guard = {|ACRN001:await pending|};
                Monitor.Exit(_gate);
            }
        }
        """ + TestTypes.AsyncLocks);
}
