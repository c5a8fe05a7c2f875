using Acorn.Analyzers.Tests.Verifiers;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Acorn.Analyzers.CodeFixes.Rules.AwaitInsteadOfBlockingFixer>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class BlockingWaitUnderLockTests
{
    [Fact]
    public Task Task_result_inside_lock_statement_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            int M(Task<int> task)
            {
                lock (_gate)
                {
                    return {|ACRN002:task.Result|};
                }
            }
        }
        """);

    [Fact]
    public Task Task_wait_inside_lock_statement_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _lock = new();
            void M(Task task)
            {
                lock (_lock)
                {
                    {|ACRN002:task.Wait()|};
                }
            }
        }
        """);

    [Fact]
    public Task Get_awaiter_get_result_inside_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M(Task task)
            {
                lock (_gate)
                {
                    {|ACRN002:task.GetAwaiter().GetResult()|};
                }
            }
        }
        """);

    [Fact]
    public Task Configured_awaiter_get_result_inside_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            int M(Task<int> task)
            {
                lock (_gate)
                {
                    return {|ACRN002:task.ConfigureAwait(false).GetAwaiter().GetResult()|};
                }
            }
        }
        """);

    [Fact]
    public Task Thread_sleep_inside_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M()
            {
                lock (_gate)
                {
                    {|ACRN002:Thread.Sleep(10)|};
                }
            }
        }
        """);

    [Fact]
    public Task Task_wait_all_and_wait_any_between_monitor_calls_are_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M(Task a, Task b)
            {
                Monitor.Enter(_gate);
                {|ACRN002:Task.WaitAll(a, b)|};
                {|ACRN002:Task.WaitAny(a, b)|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Semaphore_wait_inside_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1);
            void M()
            {
                lock (_gate)
                {
                    {|ACRN002:_semaphore.Wait()|};
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task Result_inside_enter_scope_block_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _lock = new();
            int M(Task<int> task)
            {
                using (_lock.EnterScope())
                {
                    return {|ACRN002:task.Result|};
                }
            }
        }
        """);

    [Fact]
    public Task Value_task_result_under_write_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            int M(ValueTask<int> task)
            {
                _rw.EnterWriteLock();
                try { return {|ACRN002:task.Result|}; }
                finally { _rw.ExitWriteLock(); }
            }
        }
        """);

    [Fact]
    public Task Blocking_in_finally_while_outer_lock_is_held_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M(Task flush)
            {
                lock (_gate)
                {
                    try { }
                    finally { {|ACRN002:flush.Wait()|}; }
                }
            }
        }
        """);

    [Fact]
    public Task Blocking_under_spin_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private SpinLock _spin = new();
            void M()
            {
                var taken = false;
                try
                {
                    _spin.Enter(ref taken);
                    {|ACRN002:Thread.Sleep(1)|};
                }
                finally
                {
                    if (taken) _spin.Exit();
                }
            }
        }
        """);

    [Fact]
    public Task Blocking_in_a_lambda_that_holds_its_own_lock_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            Action M(Task task) => () =>
            {
                lock (_gate) { {|ACRN002:task.Wait()|}; }
            };
        }
        """);

    [Fact]
    public Task Result_under_async_guard_becomes_await() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task<int> M(Task<int> task)
            {
                using (await _mutex.LockAsync())
                {
                    return {|ACRN002:task.Result|} + 1;
                }
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task<int> M(Task<int> task)
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    return await task + 1;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Fix_all_awaits_every_blocking_call_under_async_locks() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task<int> M(Task<int> first, Task second, Task third)
            {
                using (await _mutex.LockAsync())
                {
                    {|ACRN002:second.Wait()|};
                    {|ACRN002:Thread.Sleep(10)|};
                    {|ACRN002:Task.WaitAll(second, third)|};
                    return {|ACRN002:first.GetAwaiter().GetResult()|} + {|ACRN002:first.Result|};
                }
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task<int> M(Task<int> first, Task second, Task third)
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await second;
                    await Task.Delay(10);
                    await Task.WhenAll(second, third);
                    return await first + await first;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Wait_under_async_semaphore_becomes_await() => Verify.CodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task task)
            {
                await _semaphore.WaitAsync();
                try
                {
                    {|ACRN002:task.Wait()|};
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """, """
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task task)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                try
                {
                    await task;
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task Get_result_under_async_guard_becomes_await() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task<string> M(Task<int> task)
            {
                using var guard = await _lock.LockAsync();
                return {|ACRN002:task.GetAwaiter().GetResult()|}.ToString();
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task<string> M(Task<int> task)
            {
                using var guard = {|ACRN003:await _lock.LockAsync()|};
                return (await task).ToString();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Thread_sleep_under_async_guard_becomes_task_delay() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                using (await _mutex.LockAsync())
                {
                    {|ACRN002:Thread.Sleep(100)|};
                }
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await Task.Delay(100);
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task No_await_fix_under_a_thread_affine_lock_in_an_async_method() => Verify.NoCodeFixAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task<int> M(Task<int> task)
            {
                await Task.Yield();
                lock (_gate)
                {
                    return {|ACRN002:task.Result|};
                }
            }
        }
        """);

    [Fact]
    public Task No_await_fix_in_a_synchronous_method() => Verify.NoCodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncExclusiveLock _lock = new();
            private int _value;
            Func<Task> M(Task<int> task) => async () =>
            {
                await _lock.AcquireAsync();
                Action blocking = () => _value = task.Result;
                _lock.Release();
            };
            void N(Task task)
            {
                lock (this) { {|ACRN002:task.Wait()|}; }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Wait_all_under_async_lock_becomes_await_when_all() => Verify.CodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task a, Task b)
            {
                await _semaphore.WaitAsync();
                {|ACRN002:Task.WaitAll(a, b)|};
                _semaphore.Release();
            }
        }
        """, """
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task a, Task b)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                await Task.WhenAll(a, b);
                _semaphore.Release();
            }
        }
        """);

    [Fact]
    public Task No_await_fix_for_wait_any_or_timed_wait_all_under_async_lock() => Verify.NoCodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task a, Task b)
            {
                await _semaphore.WaitAsync();
                {|ACRN002:Task.WaitAny(a, b)|};
                {|ACRN002:Task.WaitAll(new[] { a, b }, 100)|};
                _semaphore.Release();
            }
        }
        """);

    [Fact]
    public Task Result_outside_any_lock_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            int M(Task<int> task) => task.Result;
        }
        """);

    [Fact]
    public Task Blocking_after_the_lock_statement_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private int _count;
            int M(Task<int> task)
            {
                lock (_gate) { _count++; }
                Thread.Sleep(1);
                return task.Result;
            }
        }
        """);

    [Fact]
    public Task Lambda_created_under_the_lock_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private Action? _callback;
            void M(Task task)
            {
                lock (_gate)
                {
                    _callback = () => task.Wait();
                }
            }
        }
        """);

    [Fact]
    public Task Blocking_after_monitor_exit_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M(Task task)
            {
                Monitor.Enter(_gate);
                Monitor.Exit(_gate);
                task.Wait();
            }
        }
        """);

    [Fact]
    public Task Result_property_of_a_non_task_type_is_not_reported() => Verify.AnalyzerAsync("""
        class Outcome { public int Result { get; set; } }
        class C
        {
            private readonly object _gate = new();
            int M(Outcome outcome)
            {
                lock (_gate) { return outcome.Result; }
            }
        }
        """);

    [Fact]
    public Task Non_blocking_task_members_under_lock_are_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private Task? _pending;
            bool M(Task task)
            {
                lock (_gate)
                {
                    _pending = Task.Delay(10);
                    return task.IsCompleted && Task.CompletedTask.IsCompletedSuccessfully;
                }
            }
        }
        """);

    [Fact]
    public Task Blocking_after_the_async_guard_is_disposed_is_sync_over_async_not_under_a_lock() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private int _count;
            async Task M(Task task)
            {
                using (await _mutex.LockAsync())
                {
                    _count++;
                }

                {|ACRN006:task.Wait()|};
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Blocking_on_the_failed_try_enter_branch_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void M(Task task)
            {
                if (!Monitor.TryEnter(_gate))
                {
                    task.Wait();
                    return;
                }

                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Semaphore_wait_with_nothing_held_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _count;
            void M()
            {
                _semaphore.Wait();
                try { _count++; }
                finally { _semaphore.Release(); }
            }
        }
        """);

    [Fact]
    public Task Blocking_after_a_released_read_lock_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            int M(Task<int> task)
            {
                _rw.EnterReadLock();
                try { }
                finally { _rw.ExitReadLock(); }
                return task.Result;
            }
        }
        """);
}
