using Acorn.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Acorn.Analyzers.CodeFixes.Rules.AsyncLockHeldAcrossAwaitFixer>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class AsyncLockHeldAcrossAwaitTests
{
    [Fact]
    public Task Semaphore_held_across_another_await_is_reported_at_the_acquisition() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Func<Task> save)
            {
                {|#0:await _semaphore.WaitAsync()|};
                try
                {
                    {|#1:await save()|};
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN003").WithSeverity(DiagnosticSeverity.Info).WithLocation(0).WithLocation(1).WithArguments("_semaphore", 1));

    [Fact]
    public Task Using_guard_is_reported_at_the_using_line() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await Task.Delay(1);
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Using_declaration_guard_is_reported_at_the_awaited_acquisition() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task M()
            {
                using var guard = {|ACRN003:await _lock.LockAsync()|};
                await Task.Delay(1);
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Explicitly_disposed_guard_is_reported_when_disposed_after_the_await() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task M()
            {
                var guard = {|ACRN003:await _lock.LockAsync()|};
                await Task.Delay(1);
                guard.Dispose();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Configured_acquisition_is_recognised() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M()
            {
                {|ACRN003:await _semaphore.WaitAsync().ConfigureAwait(false)|};
                await Task.Delay(1).ConfigureAwait(false);
                _semaphore.Release();
            }
        }
        """);

    [Fact]
    public Task Awaiting_a_different_locks_acquisition_counts() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _first = new();
            private readonly AsyncMutex<int> _second = new();
            private int _count;
            async Task M()
            {
                {|#0:using (await _first.LockAsync())|}
                using ({|#1:await _second.LockAsync()|})
                {
                    _count++;
                }
            }
        }
        """ + TestTypes.AsyncLocks,
        null,
        Verify.Diagnostic("ACRN003").WithSeverity(DiagnosticSeverity.Info).WithLocation(0).WithLocation(1).WithArguments("_first", 1));

    [Fact]
    public Task Reader_and_writer_locks_are_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncReaderWriterLock _rw = new();
            async Task M()
            {
                {|ACRN003:using (await _rw.ReaderLockAsync())|}
                {
                    await Task.Yield();
                }

                {|ACRN003:using (await _rw.WriterLockAsync())|}
                {
                    await Task.Yield();
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Acquire_and_release_style_lock_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncExclusiveLock _lock = new();
            async Task M()
            {
                {|ACRN003:await _lock.AcquireAsync()|};
                try { await Task.Yield(); }
                finally { _lock.Release(); }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Lock_type_listed_in_editorconfig_is_recognised() => Verify.AnalyzerAsync("""
        namespace App
        {
            sealed class Gate
            {
                public Task<IDisposable> EnterAsync() => Task.FromResult<IDisposable>(null!);
            }

            class C
            {
                private readonly Gate _gate = new();
                async Task M()
                {
                    {|ACRN003:using (await _gate.EnterAsync())|}
                    {
                        await Task.Yield();
                    }
                }
            }
        }
        """,
        "acorn_analyzers.async_lock_types = App.Gate, Other.Thing");

    [Fact]
    public Task Unlisted_type_with_a_lock_like_method_is_not_reported() => Verify.AnalyzerAsync("""
        namespace App
        {
            sealed class Gate
            {
                public Task<IDisposable> EnterAsync() => Task.FromResult<IDisposable>(null!);
            }

            class C
            {
                private readonly Gate _gate = new();
                async Task M()
                {
                    using (await _gate.EnterAsync())
                    {
                        await Task.Yield();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Every_await_point_is_listed_on_one_diagnostic() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M()
            {
                {|#0:using (await _mutex.LockAsync())|}
                {
                    {|#1:await Task.Delay(1)|};
                    {|#2:await Task.Delay(2)|};
                }
            }
        }
        """ + TestTypes.AsyncLocks,
        null,
        Verify.Diagnostic("ACRN003").WithSeverity(DiagnosticSeverity.Info).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_mutex", 2));

    [Fact]
    public Task Await_foreach_under_async_lock_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M(IAsyncEnumerable<int> items)
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await foreach (var item in items)
                    {
                    }
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Successful_try_acquire_branch_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncExclusiveLock _lock = new();
            async Task M()
            {
                if ({|ACRN003:await _lock.TryAcquireAsync(TimeSpan.FromSeconds(1))|})
                {
                    await Task.Yield();
                    _lock.Release();
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Path_that_skips_the_release_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(bool quick)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                if (quick)
                {
                    _semaphore.Release();
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Class_guard_released_by_using_is_not_held_after_it() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task M()
            {
                {|ACRN003:using (await _lock.LockAsync())|}
                {
                    await Task.Yield();
                }

                await Task.Delay(1);
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Nested_lambda_holding_its_own_async_lock_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            Func<Task> M() => async () =>
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await Task.Yield();
                }
            };
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Try_lock_guard_that_was_acquired_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task M()
            {
                var guard = {|ACRN003:await _lock.TryLockAsync(TimeSpan.FromSeconds(1))|};
                if (guard is not null)
                {
                    using (guard)
                    {
                        await Task.Yield();
                    }
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Try_lock_that_timed_out_holds_nothing() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private int _count;
            async Task M()
            {
                var guard = await _lock.TryLockAsync(TimeSpan.FromSeconds(1));
                if (guard is null)
                {
                    await Task.Delay(10);
                    return;
                }

                using (guard)
                {
                    _count++;
                }

                await Task.Yield();
                var second = await _lock.TryLockAsync(TimeSpan.Zero);
                if (second == null)
                {
                    await Task.Delay(10);
                    return;
                }

                second.Dispose();
                await Task.Yield();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Only_awaiting_its_own_acquisition_is_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private int _count;
            async Task M()
            {
                using (await _mutex.LockAsync())
                {
                    _count++;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Await_after_the_release_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _count;
            async Task M()
            {
                await _semaphore.WaitAsync();
                try { _count++; }
                finally { _semaphore.Release(); }
                await Task.Yield();
            }
        }
        """);

    // Shaped like Nito.AsyncEx.Coordination 5.1.2, where the false positive was found.
    private const string NitoTypes = """

        namespace Nito.AsyncEx
        {
            sealed class AsyncLock
            {
                public IDisposable Lock() => null!;
                public Task<IDisposable> LockAsync() => Task.FromResult<IDisposable>(null!);
            }

            sealed class AsyncConditionVariable
            {
                public AsyncConditionVariable(AsyncLock mutex) { }
                public void Wait() { }
                public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                public Task WaitAsync() => WaitAsync(CancellationToken.None);
            }

            sealed class AsyncMonitor
            {
                public Task<IDisposable> EnterAsync() => Task.FromResult<IDisposable>(null!);
                public Task WaitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
            }
        }
        """;

    [Fact]
    public Task Condition_variable_wait_under_its_lock_is_not_reported() => Verify.AnalyzerAsync("""
        using Nito.AsyncEx;
        class C
        {
            private readonly AsyncLock _mutex = new();
            private readonly AsyncConditionVariable _notEmpty;
            private bool _ready;
            C() => _notEmpty = new AsyncConditionVariable(_mutex);

            async Task Take()
            {
                using (await _mutex.LockAsync())
                {
                    while (!_ready)
                    {
                        await _notEmpty.WaitAsync();
                    }

                    _ready = false;
                }
            }

            // AsyncProducerConsumerQueue.DoDequeueAsync at 5de2b92, reduced.
            async Task<bool> DoTake(CancellationToken cancellationToken, bool sync)
            {
                using (sync ? _mutex.Lock() : await _mutex.LockAsync().ConfigureAwait(false))
                {
                    while (!_ready)
                    {
                        if (sync)
                            _notEmpty.Wait();
                        else
                            await _notEmpty.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    _ready = false;
                    return true;
                }
            }
        }
        """ + NitoTypes);

    [Fact]
    public Task Async_monitor_wait_is_neither_a_held_await_nor_a_second_acquisition() => Verify.AnalyzerAsync("""
        using Nito.AsyncEx;
        class C
        {
            private readonly AsyncMonitor _monitor = new();
            private bool _ready;
            async Task M()
            {
                using (await _monitor.EnterAsync())
                {
                    while (!_ready)
                    {
                        await _monitor.WaitAsync();
                    }

                    _ready = false;
                }

                await Task.Delay(1);
            }
        }
        """ + NitoTypes,
        "acorn_analyzers.async_lock_types = AsyncMonitor");

    [Fact]
    public Task Other_awaits_beside_a_condition_wait_are_still_reported() => Verify.AnalyzerAsync("""
        using Nito.AsyncEx;
        class C
        {
            private readonly AsyncLock _mutex = new();
            private readonly SemaphoreSlim _other = new(1);
            private readonly AsyncConditionVariable _notEmpty;
            C() => _notEmpty = new AsyncConditionVariable(_mutex);
            async Task M()
            {
                {|#0:using (await _mutex.LockAsync())|}
                {
                    await _notEmpty.WaitAsync();
                    {|#1:await Task.Delay(1)|};
                    {|#2:await _other.WaitAsync()|};
                    _other.Release();
                }
            }
        }
        """ + NitoTypes,
        null,
        Verify.Diagnostic("ACRN003").WithSeverity(DiagnosticSeverity.Info).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_mutex", 2));

    [Fact]
    public Task Condition_wait_under_a_thread_affine_lock_is_still_ACRN001() => Verify.AnalyzerAsync("""
        using Nito.AsyncEx;
        class C
        {
            private readonly object _gate = new();
            private readonly AsyncConditionVariable _notEmpty = new(new AsyncLock());
            async Task M()
            {
                Monitor.Enter(_gate);
                {|ACRN001:await _notEmpty.WaitAsync()|};
                Monitor.Exit(_gate);
            }
        }
        """ + NitoTypes);

    [Fact]
    public Task Async_lambda_created_under_the_lock_is_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private Func<Task>? _later;
            async Task M()
            {
                using (await _mutex.LockAsync())
                {
                    _later = async () => await Task.Delay(1);
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Failed_try_acquire_branch_is_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncExclusiveLock _lock = new();
            async Task M()
            {
                if (!await _lock.TryAcquireAsync(TimeSpan.FromSeconds(1)))
                {
                    await Task.Delay(10);
                    return;
                }

                _lock.Release();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Failed_timed_semaphore_wait_async_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M()
            {
                var acquired = await _semaphore.WaitAsync(100);
                if (!acquired)
                {
                    await Task.Delay(10);
                    return;
                }

                _semaphore.Release();
            }
        }
        """);

    [Fact]
    public Task Await_using_guard_disposal_is_the_release_not_a_hold() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private int _count;
            async Task M()
            {
                await using (await _lock.LockAsync())
                {
                    _count++;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Guard_disposed_before_the_await_is_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private int _count;
            async Task M()
            {
                var guard = await _lock.LockAsync();
                _count++;
                guard.Dispose();
                await Task.Yield();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Semaphore_acquired_without_await_is_not_an_async_hold() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private Task? _pending;
            async Task M()
            {
                _pending = _semaphore.WaitAsync();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Switch_with_release_on_every_arm_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _count;
            async Task M(object value)
            {
                await _semaphore.WaitAsync();
                switch (value)
                {
                    case int n when n > 0:
                        _count += n;
                        _semaphore.Release();
                        break;
                    default:
                        _semaphore.Release();
                        break;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Await_after_release_in_a_local_function_of_its_own_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _count;
            async Task M()
            {
                await _semaphore.WaitAsync();
                try { _count++; }
                finally { _semaphore.Release(); }
                await Flush();

                static async Task Flush() => await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Await_in_try_body_moves_after_the_finally() => Verify.CodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _value;
            async Task M(Func<int, Task> save)
            {
                int snapshot;
                {|ACRN003:await _semaphore.WaitAsync()|};
                try
                {
                    snapshot = _value++;
                    await save(snapshot);
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
            private int _value;
            async Task M(Func<int, Task> save)
            {
                int snapshot;
                await _semaphore.WaitAsync();
                try
                {
                    snapshot = _value++;
                }
                finally
                {
                    _semaphore.Release();
                }
                await save(snapshot);
            }
        }
        """);

    [Fact]
    public Task Fix_all_moves_every_fixable_await_of_the_document() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _first = new();
            private readonly SemaphoreSlim _second = new(1);
            private int _value;
            async Task M(Func<int, Task> save)
            {
                {|ACRN003:using (await _first.LockAsync())|}
                {
                    _value++;
                    await save(1);
                }

                {|ACRN003:await _second.WaitAsync()|};
                try
                {
                    _value++;
                    await save(2);
                }
                finally
                {
                    _second.Release();
                }
            }

            async Task N(Func<int, Task> save)
            {
                {|ACRN003:using (await _first.LockAsync())|}
                {
                    _value--;
                    await save(3);
                }
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncLock _first = new();
            private readonly SemaphoreSlim _second = new(1);
            private int _value;
            async Task M(Func<int, Task> save)
            {
                using (await _first.LockAsync())
                {
                    _value++;
                }
                await save(1);

                await _second.WaitAsync();
                try
                {
                    _value++;
                }
                finally
                {
                    _second.Release();
                }
                await save(2);
            }

            async Task N(Func<int, Task> save)
            {
                using (await _first.LockAsync())
                {
                    _value--;
                }
                await save(3);
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Await_in_using_body_moves_after_the_using() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private string _state = "";
            async Task M(Func<string, CancellationToken, Task> publish, CancellationToken cancellationToken)
            {
                string copy;
                {|ACRN003:using (await _mutex.LockAsync(cancellationToken))|}
                {
                    copy = _state;
                    await publish(copy, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private string _state = "";
            async Task M(Func<string, CancellationToken, Task> publish, CancellationToken cancellationToken)
            {
                string copy;
                using (await _mutex.LockAsync(cancellationToken))
                {
                    copy = _state;
                }
                await publish(copy, cancellationToken).ConfigureAwait(false);
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task No_fix_when_the_await_reads_the_protected_field() => Verify.NoCodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _value = 1;
            async Task M(Func<int, Task> save)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                try
                {
                    await save(_value);
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_when_the_input_is_declared_under_the_lock() => Verify.NoCodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            private int _value = 1;
            async Task M(Func<int, Task> save)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                try
                {
                    var snapshot = _value;
                    await save(snapshot);
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_when_work_follows_the_await_under_the_lock() => Verify.NoCodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private int _value;
            async Task M(Func<Task> save)
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await save();
                    _value++;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task No_fix_when_several_awaits_are_held() => Verify.NoCodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            async Task M(Func<Task> save)
            {
                {|ACRN003:using (await _mutex.LockAsync())|}
                {
                    await save();
                    await save();
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task No_fix_when_the_try_has_a_catch() => Verify.NoCodeFixAsync("""
        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Func<Task> save)
            {
                {|ACRN003:await _semaphore.WaitAsync()|};
                try
                {
                    await save();
                }
                catch (InvalidOperationException)
                {
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);
}
