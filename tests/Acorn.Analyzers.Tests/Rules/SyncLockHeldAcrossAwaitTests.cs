using Acorn.Analyzers.Rules;
using Microsoft.CodeAnalysis.Testing;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class SyncLockHeldAcrossAwaitTests
{
    [Fact]
    public Task Monitor_enter_without_exit_before_await_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                Monitor.Enter(_gate);
                {|ACRN001:await Task.Delay(1)|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Monitor_released_in_finally_is_still_held_at_await_inside_try() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                Monitor.Enter(_gate);
                try
                {
                    {|ACRN001:await Task.Yield()|};
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Diagnostic_points_at_the_await_and_names_the_acquisition() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _lock = new();
            async Task M()
            {
                {|#1:_lock.Enter()|};
                {|#0:await Task.Delay(1)|};
                _lock.Exit();
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN001").WithLocation(0).WithLocation(1).WithArguments("_lock"));

    [Fact]
    public Task Each_await_point_gets_its_own_diagnostic() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _lock = new();
            async Task M()
            {
                _lock.Enter();
                {|ACRN001:await Task.Delay(1)|};
                {|ACRN001:await Task.Delay(2)|};
                _lock.Exit();
                await Task.Delay(3);
            }
        }
        """);

    [Fact]
    public Task Reader_writer_read_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            async Task<int> M()
            {
                _rw.EnterReadLock();
                try { return {|ACRN001:await Task.FromResult(1)|}; }
                finally { _rw.ExitReadLock(); }
            }
        }
        """);

    [Fact]
    public Task Reader_writer_write_lock_exited_as_read_lock_is_still_held() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            async Task M()
            {
                _rw.EnterWriteLock();
                _rw.ExitReadLock();
                {|ACRN001:await Task.Yield()|};
                _rw.ExitWriteLock();
            }
        }
        """);

    [Fact]
    public Task Successful_try_enter_branch_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            async Task M()
            {
                if (_rw.TryEnterWriteLock(100))
                {
                    {|ACRN001:await Task.Yield()|};
                    _rw.ExitWriteLock();
                }
            }
        }
        """);

    [Fact]
    public Task Spin_lock_with_lock_taken_flag_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private SpinLock _spin = new();
            async Task M()
            {
                var taken = false;
                _spin.Enter(ref taken);
                {|ACRN001:await Task.Yield()|};
                if (taken) _spin.Exit();
            }
        }
        """);

    [Fact]
    public Task Mutex_wait_one_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Mutex _mutex = new();
            async Task M()
            {
                _mutex.WaitOne();
                {|ACRN001:await Task.Yield()|};
                _mutex.ReleaseMutex();
            }
        }
        """);

    [Fact]
    public Task Synchronous_semaphore_wait_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M()
            {
                _semaphore.Wait();
                try { {|ACRN001:await Task.Yield()|}; }
                finally { _semaphore.Release(); }
            }
        }
        """);

    [Fact]
    public Task Monitor_try_enter_in_condition_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                if (Monitor.TryEnter(_gate, 10))
                {
                    {|ACRN001:await Task.Yield()|};
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Path_that_skips_the_release_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(bool done)
            {
                Monitor.Enter(_gate);
                if (done)
                {
                    Monitor.Exit(_gate);
                }

                {|ACRN001:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Throw_path_that_holds_into_a_catch_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(bool fail)
            {
                try
                {
                    Monitor.Enter(_gate);
                    if (fail) throw new InvalidOperationException();
                    Monitor.Exit(_gate);
                }
                catch (InvalidOperationException)
                {
                    {|ACRN001:await Task.Yield()|};
                }
            }
        }
        """);

    [Fact]
    public Task Lock_taken_at_the_end_of_a_loop_is_held_at_the_next_iteration_await() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    {|ACRN001:await Task.Yield()|};
                    Monitor.Enter(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Await_foreach_is_reported_once_at_its_header() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(IAsyncEnumerable<int> items)
            {
                Monitor.Enter(_gate);
                {|ACRN001:await foreach (var item in items)|}
                {
                }

                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Await_using_is_reported_at_its_header() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(IAsyncDisposable resource)
            {
                Monitor.Enter(_gate);
                {|ACRN001:await using (resource)|}
                {
                }

                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Yield_return_in_async_iterator_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async IAsyncEnumerable<int> M()
            {
                await Task.Yield();
                Monitor.Enter(_gate);
                {|ACRN001:yield return 1;|}
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Configure_await_false_is_still_an_await() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                Monitor.Enter(_gate);
                {|ACRN001:await Task.Delay(1).ConfigureAwait(false)|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Await_inside_switch_expression_arm_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task<int> M(int kind)
            {
                Monitor.Enter(_gate);
                var result = kind switch
                {
                    1 => {|ACRN001:await Task.FromResult(1)|},
                    _ => 0,
                };
                Monitor.Exit(_gate);
                return result;
            }
        }
        """);

    [Fact]
    public Task Async_lambda_holding_its_own_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            Func<Task> M() => async () =>
            {
                Monitor.Enter(_gate);
                {|ACRN001:await Task.Yield()|};
                Monitor.Exit(_gate);
            };
        }
        """);

    [Fact]
    public Task Local_function_holding_its_own_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            Task M()
            {
                return Local();

                async Task Local()
                {
                    Monitor.Enter(_gate);
                    {|ACRN001:await Task.Yield()|};
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Release_before_await_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                Monitor.Enter(_gate);
                Monitor.Exit(_gate);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Release_in_finally_before_later_await_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private int _count;
            async Task M()
            {
                Monitor.Enter(_gate);
                try
                {
                    _count++;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lock_statement_followed_by_await_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private readonly Lock _lock = new();
            private int _count;
            async Task M()
            {
                lock (_gate) { _count++; }
                await Task.Yield();
                lock (_lock) { _count++; }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Enter_scope_using_followed_by_await_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _lock = new();
            private int _count;
            async Task M()
            {
                using (_lock.EnterScope())
                {
                    _count++;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Async_lambda_created_but_not_awaited_under_the_lock_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                Func<Task> later;
                Monitor.Enter(_gate);
                try
                {
                    later = async () => await Task.Yield();
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                await later();
            }
        }
        """);

    [Fact]
    public Task Release_on_every_branch_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(object value)
            {
                Monitor.Enter(_gate);
                switch (value)
                {
                    case int:
                        Monitor.Exit(_gate);
                        break;
                    case string { Length: > 0 }:
                        Monitor.Exit(_gate);
                        return;
                    default:
                        Monitor.Exit(_gate);
                        break;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Failed_try_enter_branch_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                if (!Monitor.TryEnter(_gate))
                {
                    await Task.Yield();
                    return;
                }

                Monitor.Exit(_gate);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Lock_taken_flag_pattern_is_not_reported_after_finally() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                var taken = false;
                try
                {
                    Monitor.Enter(_gate, ref taken);
                }
                finally
                {
                    if (taken) Monitor.Exit(_gate);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Failed_timed_semaphore_wait_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M()
            {
                if (!_semaphore.Wait(100))
                {
                    await Task.Delay(10);
                    return;
                }

                _semaphore.Release();
            }
        }
        """);

    [Fact]
    public Task Synchronous_method_with_monitor_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private int _count;
            void M()
            {
                Monitor.Enter(_gate);
                try { _count++; }
                finally { Monitor.Exit(_gate); }
            }
        }
        """);

    [Fact]
    public Task Await_foreach_after_release_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            async Task M(IAsyncEnumerable<int> items)
            {
                _rw.EnterReadLock();
                _rw.ExitReadLock();
                await foreach (var item in items)
                {
                }
            }
        }
        """);

    [Fact]
    public Task Lock_chosen_by_an_expression_is_released_by_the_same_expression() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object? _preferred = null;
            private readonly object _fallback = new();
            async Task M(bool first)
            {
                Monitor.Enter(_preferred ?? _fallback);
                Monitor.Exit(_preferred ?? _fallback);
                await Task.Yield();
                Monitor.Enter(first ? _fallback : _preferred!);
                try { }
                finally { Monitor.Exit(first ? _fallback : _preferred!); }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Exit_of_another_lock_does_not_release_this_one() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();
            async Task M()
            {
                Monitor.Enter(_a);
                Monitor.Exit(_b);
                {|ACRN001:await Task.Yield()|};
                Monitor.Exit(_a);
            }
        }
        """);
}
