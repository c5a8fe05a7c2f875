using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

/// <summary>Locks taken or released by helper methods declared in the same file, applied at their calls.</summary>
public sealed class HelperMethodTests
{
    [Theory]
    [InlineData("object", "Monitor.Enter(_gate)", "Monitor.Exit(_gate)")]
    [InlineData("Lock", "_gate.Enter()", "_gate.Exit()")]
    [InlineData("SemaphoreSlim", "_gate.Wait()", "_gate.Release()")]
    [InlineData("ReaderWriterLockSlim", "_gate.EnterWriteLock()", "_gate.ExitWriteLock()")]
    public Task Helper_that_enters_without_exiting_leaves_the_lock_held_in_its_caller(string type, string enter, string exit) => Verify.AnalyzerAsync($$"""
        class C
        {
            private readonly {{type}} _gate = new({{(type == "SemaphoreSlim" ? "1" : "")}});
            void Hold() => {{enter}};
            async Task M()
            {
                {|#1:Hold()|};
                {|#0:await Task.Yield()|};
                {{exit}};
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN001").WithLocation(0).WithLocation(1).WithArguments("_gate"));

    [Theory]
    [InlineData("object", "Monitor.Enter(_gate)", "Monitor.Exit(_gate)")]
    [InlineData("Lock", "_gate.Enter()", "_gate.Exit()")]
    [InlineData("SemaphoreSlim", "_gate.Wait()", "_gate.Release()")]
    [InlineData("ReaderWriterLockSlim", "_gate.EnterReadLock()", "_gate.ExitReadLock()")]
    public Task Lock_released_by_a_helper_is_not_held_after_the_call(string type, string enter, string exit) => Verify.AnalyzerAsync($$"""
        class C
        {
            private readonly {{type}} _gate = new({{(type == "SemaphoreSlim" ? "1" : "")}});
            private int _count;
            void Leave() => {{exit}};
            async Task M()
            {
                {{enter}};
                try
                {
                    _count++;
                }
                finally
                {
                    Leave();
                }

                await Task.Yield();
            }
        }
        """);

    // Roslyn 5.9 leaves a lock statement on System.Threading.Lock unlowered when nullable annotations are on; the hold
    // then ends with the statement's body, also where the body returns.
    [Theory]
    [InlineData("object")]
    [InlineData("Lock")]
    public Task Helper_that_returns_from_inside_a_lock_statement_holds_nothing(string type) => Verify.AnalyzerAsync($$"""
        class Log
        {
            private readonly {{type}} _gate = new();
            private int _count;

            public Task CountAsync(bool ready)
            {
                lock (_gate)
                {
                    _count++;
                    if (ready)
                    {
                        return Task.CompletedTask;
                    }
                }

                return Task.Delay(_count);
            }
        }

        class C
        {
            private readonly Log _log = new();
            async Task M()
            {
                await _log.CountAsync(true);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Helper_that_releases_on_one_path_only_does_not_release() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void MaybeLeave(bool leave)
            {
                if (leave)
                {
                    Monitor.Exit(_gate);
                }
            }

            async Task M(bool leave)
            {
                Monitor.Enter(_gate);
                MaybeLeave(leave);
                {|ACRN001:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Wrapper_methods_map_the_lock_to_the_instance_they_are_called_on() => Verify.AnalyzerAsync("""
        sealed class Gate
        {
            private readonly object _lock = new();
            public void Enter() => Monitor.Enter(_lock);
            public void Exit() => Monitor.Exit(_lock);
        }

        class C
        {
            private readonly Gate _a = new();
            private readonly Gate _b = new();
            async Task Held()
            {
                {|#1:_a.Enter()|};
                try
                {
                    {|#0:await Task.Yield()|};
                }
                finally
                {
                    _a.Exit();
                }
            }

            async Task Released()
            {
                _a.Enter();
                _a.Exit();
                await Task.Yield();
            }

            async Task OtherInstanceReleased()
            {
                _a.Enter();
                _b.Exit();
                {|ACRN001:await Task.Yield()|};
                _a.Exit();
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN001").WithLocation(0).WithLocation(1).WithArguments("_a._lock"));

    [Fact]
    public Task Static_helpers_map_their_parameters_to_the_arguments() => Verify.AnalyzerAsync("""
        static class Locks
        {
            public static void Take(object gate) => Monitor.Enter(gate);
            public static void Drop(object gate) => Monitor.Exit(gate);
        }

        class C
        {
            private readonly object _gate = new();
            private readonly object _other = new();
            async Task M()
            {
                Locks.Take(_gate);
                {|ACRN001:await Task.Yield()|};
                Locks.Drop(_gate);
                await Task.Yield();
                Locks.Take(_gate);
                Locks.Drop(_other);
                {|ACRN001:await Task.Yield()|};
                Locks.Drop(_gate);
            }
        }
        """);

    [Fact]
    public Task Guard_struct_around_monitor_holds_until_disposed() => Verify.AnalyzerAsync("""
        readonly struct MonitorGuard : IDisposable
        {
            private readonly object _lock;
            public MonitorGuard(object gate)
            {
                _lock = gate;
                Monitor.Enter(_lock);
            }

            public void Dispose() => Monitor.Exit(_lock);
        }

        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                using (new MonitorGuard(_gate))
                {
                    {|ACRN001:await Task.Yield()|};
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Guard_class_around_lock_holds_until_disposed() => Verify.AnalyzerAsync("""
        sealed class LockGuard : IDisposable
        {
            private readonly Lock _lock;
            public LockGuard(Lock gate)
            {
                _lock = gate;
                _lock.Enter();
            }

            public void Dispose() => _lock.Exit();
        }

        class C
        {
            private readonly Lock _gate = new();
            async Task M()
            {
                using (var guard = new LockGuard(_gate))
                {
                    {|ACRN001:await Task.Yield()|};
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Guard_around_semaphore_wait_holds_and_blocks_under_another_lock() => Verify.AnalyzerAsync("""
        sealed class SemaphoreGuard : IDisposable
        {
            private readonly SemaphoreSlim _semaphore;
            public SemaphoreGuard(SemaphoreSlim semaphore)
            {
                _semaphore = semaphore;
                _semaphore.Wait();
            }

            public void Dispose() => _semaphore.Release();
        }

        class C
        {
            private readonly SemaphoreSlim _semaphore = new(1);
            async Task M(Task task)
            {
                using var guard = new SemaphoreGuard(_semaphore);
                {|ACRN002:task.Wait()|};
                {|ACRN001:await Task.Yield()|};
            }
        }
        """);

    [Fact]
    public Task Guard_around_reader_writer_lock_holds_until_disposed() => Verify.AnalyzerAsync("""
        sealed class ReadGuard : IDisposable
        {
            private readonly ReaderWriterLockSlim _rw;
            public ReadGuard(ReaderWriterLockSlim rw)
            {
                _rw = rw;
                _rw.EnterReadLock();
            }

            public void Dispose()
            {
                _rw.ExitReadLock();
            }
        }

        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            async Task M()
            {
                var guard = new ReadGuard(_rw);
                {|ACRN001:await Task.Yield()|};
                guard.Dispose();
                await Task.Yield();
            }
        }
        """);

    // The shape that NGitLab's mock client had (fixed after a SynchronizationLockException in production).
    [Fact]
    public Task Helper_that_enters_and_returns_a_releaser_holds_until_the_releaser_is_disposed() => Verify.AnalyzerAsync("""
        sealed class ClientContext
        {
            private readonly object _operationLock = new();

            public IDisposable BeginOperationScope()
            {
                Monitor.Enter(_operationLock);
                return new Releaser(_operationLock);
            }

            private sealed class Releaser : IDisposable
            {
                private readonly object _operationLock;
                public Releaser(object operationLock) => _operationLock = operationLock;
                public void Dispose() => Monitor.Exit(_operationLock);
            }
        }

        class ProjectClient
        {
            private ClientContext Context { get; } = new();

            async Task<int> GetAsync(Func<Task<int>> fetch)
            {
                {|#1:using (Context.BeginOperationScope())|}
                {
                    return {|#0:await fetch()|};
                }
            }

            async Task<int> CopyFirstAsync(Func<Task<int>> fetch)
            {
                using (Context.BeginOperationScope())
                {
                }

                return await fetch();
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN001").WithLocation(0).WithLocation(1).WithArguments("Context._operationLock"));

    [Fact]
    public Task Helper_returning_a_releaser_whose_constructor_waits_holds_until_it_is_disposed() => Verify.AnalyzerAsync("""
        sealed class ClientContext
        {
            private readonly SemaphoreSlim _operationLock = new(1, 1);

            public IDisposable BeginOperationScope()
            {
                var releaser = new Releaser(_operationLock);
                return releaser;
            }

            private sealed class Releaser : IDisposable
            {
                private readonly SemaphoreSlim _operationLock;

                public Releaser(SemaphoreSlim operationLock)
                {
                    _operationLock = operationLock;
                    _operationLock.Wait();
                }

                public void Dispose() => _operationLock.Release();
            }
        }

        class ProjectClient
        {
            private readonly ClientContext _context = new();

            async Task M()
            {
                using (_context.BeginOperationScope())
                {
                    {|ACRN001:await Task.Yield()|};
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Async_helper_that_takes_an_async_lock_and_returns_its_releaser_is_held_from_its_await() => Verify.AnalyzerAsync("""
        sealed class Gate
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            public async Task<IDisposable> EnterAsync()
            {
                await _semaphore.WaitAsync();
                return new Releaser(_semaphore);
            }

            private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
            {
                public void Dispose() => semaphore.Release();
            }
        }

        class C
        {
            private readonly Gate _gate = new();
            async Task M()
            {
                {|ACRN003:using (await _gate.EnterAsync())|}
                {
                    await Task.Delay(1);
                }

                await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public Task Try_helper_holds_only_on_its_true_branch() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            bool TryHold() => Monitor.TryEnter(_gate);
            bool TryHoldKept()
            {
                var taken = Monitor.TryEnter(_gate, 10);
                return taken;
            }

            async Task M()
            {
                if (TryHold())
                {
                    {|ACRN001:await Task.Yield()|};
                    Monitor.Exit(_gate);
                }

                if (!TryHoldKept())
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
    public Task Recursive_helper_is_followed_to_the_depth_limit() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void Hold(int depth)
            {
                if (depth == 0)
                {
                    Monitor.Enter(_gate);
                    return;
                }

                Hold(depth - 1);
            }

            void Ping(int n) { if (n > 0) Pong(n - 1); }
            void Pong(int n) { if (n > 0) Ping(n - 1); }

            async Task M()
            {
                Ping(10);
                await Task.Yield();
                Hold(3);
                {|ACRN001:await Task.Yield()|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Recursive_helper_that_releases_on_every_path_releases() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void Leave(int depth)
            {
                if (depth == 0)
                {
                    Monitor.Exit(_gate);
                    return;
                }

                Leave(depth - 1);
            }

            async Task M()
            {
                Monitor.Enter(_gate);
                Leave(1);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Helpers_are_followed_three_calls_deep_and_no_further() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void One() => Two();
            void Two() => Three();
            void Three() => Monitor.Enter(_gate);
            void Zero() => One();

            async Task M()
            {
                One();
                {|ACRN001:await Task.Yield()|};
                Monitor.Exit(_gate);
                Zero();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Summary_met_first_at_the_depth_limit_is_computed_again_for_a_shallower_call() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            void A() => B();
            void B() => D();
            void D() => Monitor.Enter(_gate);
            void X() => Y();
            void Y() => A();

            async Task First()
            {
                X();
                await Task.Yield();
            }

            async Task Second()
            {
                A();
                {|ACRN001:await Task.Yield()|};
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task Interface_and_virtual_calls_have_no_summary() => Verify.AnalyzerAsync("""
        interface IGate
        {
            void Enter();
        }

        class Gate : IGate
        {
            private readonly object _lock = new();
            public void Enter() => Monitor.Enter(_lock);
            public virtual void EnterVirtual() => Monitor.Enter(_lock);
            public virtual void Leave() => Monitor.Exit(_lock);
        }

        class C
        {
            private readonly IGate _gate = new Gate();
            private readonly Gate _other = new();
            private readonly object _lock = new();
            async Task M()
            {
                _gate.Enter();
                await Task.Yield();
                _other.EnterVirtual();
                await Task.Yield();
            }

            async Task ReleasedVirtually()
            {
                {|#1:_other.Enter()|};
                _other.Leave();
                {|#0:await Task.Yield()|};
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN001").WithLocation(0).WithLocation(1).WithArguments("_other._lock"));
}
