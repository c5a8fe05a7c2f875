using Acorn.Analyzers.Tests.Verifiers;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Acorn.Analyzers.CodeFixes.Rules.UndisposedGuardFixer>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class UndisposedGuardTests
{
    [Fact]
    public Task Discarded_guards_become_using_declarations_with_distinct_names() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private readonly Lock _sync = new();
            private int _count;
            async Task M()
            {
                {|ACRN007:await _lock.LockAsync().ConfigureAwait(false)|};
                _ = {|ACRN007:_sync.EnterScope()|};
                _count++;
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private readonly Lock _sync = new();
            private int _count;
            async Task M()
            {
                using var guard = await _lock.LockAsync().ConfigureAwait(false);
                using var guard2 = _sync.EnterScope();
                _count++;
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Discarded_enter_scope_in_a_synchronous_method_is_reported() => Verify.CodeFixAsync("""
        class C
        {
            private readonly Lock _lock = new();
            private int _count;
            void M(int guard)
            {
                {|ACRN007:_lock.EnterScope()|};
                _count += guard;
            }
        }
        """, """
        class C
        {
            private readonly Lock _lock = new();
            private int _count;
            void M(int guard)
            {
                using var guard2 = _lock.EnterScope();
                _count += guard;
            }
        }
        """);

    [Fact]
    public Task Local_guard_never_disposed_gets_using() => Verify.CodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private int _count;
            async Task M()
            {
                var held = {|ACRN007:await _lock.LockAsync()|};
                _count++;
            }
        }
        """ + TestTypes.AsyncLocks, """
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private int _count;
            async Task M()
            {
                using var held = await _lock.LockAsync();
                _count++;
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Async_only_disposable_guard_gets_await_using() => Verify.CodeFixAsync("""
        class Gate
        {
            public Task<Releaser> LockAsync() => Task.FromResult(new Releaser());
            public sealed class Releaser : IAsyncDisposable { public ValueTask DisposeAsync() => default; }
        }

        class C
        {
            private readonly Gate _gate = new();
            async Task M()
            {
                {|ACRN007:await _gate.LockAsync()|};
            }
        }
        """, """
        class Gate
        {
            public Task<Releaser> LockAsync() => Task.FromResult(new Releaser());
            public sealed class Releaser : IAsyncDisposable { public ValueTask DisposeAsync() => default; }
        }

        class C
        {
            private readonly Gate _gate = new();
            async Task M()
            {
                await using var guard = await _gate.LockAsync();
            }
        }
        """, "acorn_analyzers.async_lock_types = Gate");

    [Fact]
    public Task Guard_disposed_on_some_paths_only_is_reported_without_a_fix() => Verify.NoCodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            async Task<int> M(bool early)
            {
                var guard = {|ACRN007:await _lock.LockAsync()|};
                if (early)
                {
                    return 0;
                }

                guard.Dispose();
                return 1;
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Discarded_out_guard_and_guard_in_an_embedded_statement_have_no_fix() => Verify.NoCodeFixAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private readonly AsyncLock _lock = new();
            private int _count;
            void M()
            {
                if ({|ACRN007:_mutex.TryLock(out _)|})
                {
                    _count++;
                }
            }

            async Task N(bool take)
            {
                if (take)
                    {|ACRN007:await _lock.LockAsync()|};
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Try_lock_guard_not_disposed_on_its_true_branch_is_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _mutex = new();
            private readonly KeyedAsyncLock<string> _keyed = new();
            private int _count;
            void M()
            {
                if ({|ACRN007:_mutex.TryLock(out var guard)|})
                {
                    _count++;
                }

                if (_keyed.TryLock("key", out var keyed))
                {
                    using (keyed)
                    {
                        _count++;
                    }
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Guards_handed_to_other_code_are_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private IDisposable? _held;
            async Task<IDisposable> Returned() => await _lock.LockAsync();
            async Task<IDisposable> ReturnedFromLocal()
            {
                var guard = await _lock.LockAsync();
                return guard;
            }

            async Task Stored()
            {
                var guard = await _lock.LockAsync();
                _held = guard;
            }

            async Task Passed(List<IDisposable> owners)
            {
                var guard = await _lock.LockAsync();
                owners.Add(guard);
            }

            async Task<Action> Captured()
            {
                var guard = await _lock.LockAsync();
                return () => guard.Dispose();
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Guards_disposed_on_every_path_are_not_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncLock _lock = new();
            private readonly Lock _sync = new();
            private int _count;
            async Task M(bool early)
            {
                using (await _lock.LockAsync())
                {
                    _count++;
                }

                var guard = await _lock.LockAsync();
                if (early)
                {
                    guard.Dispose();
                    return;
                }

                _count++;
                guard.Dispose();
            }

            void Scoped()
            {
                using var scope = _sync.EnterScope();
                _count++;
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Guard_returned_by_a_helper_and_discarded_is_reported() => Verify.CodeFixAsync(TestTypes.ClientContext + """
        class C
        {
            private readonly ClientContext _context = new();
            void M()
            {
                {|ACRN007:_context.BeginOperationScope()|};
            }
        }
        """, TestTypes.ClientContext + """
        class C
        {
            private readonly ClientContext _context = new();
            void M()
            {
                using var guard = _context.BeginOperationScope();
            }
        }
        """);
}
