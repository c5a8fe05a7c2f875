using Acorn.Analyzers.Tests.Verifiers;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class InconsistentLockOrderTests
{
    [Fact]
    public Task Lock_statements_nested_in_both_orders_are_reported_in_both_places() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();
            private int _count;
            void First()
            {
                lock (_a)
                {
                    {|#0:lock (_b)|} { _count++; }
                }
            }
            void Second()
            {
                lock (_b)
                {
                    {|#1:lock (_a)|} { _count--; }
                }
            }
        }
        """,
        null,
        Verify.Diagnostic("ACRN004").WithLocation(0).WithLocation(1).WithArguments("_b", "_a"),
        Verify.Diagnostic("ACRN004").WithLocation(1).WithLocation(0).WithArguments("_a", "_b"));

    [Fact]
    public Task Monitor_and_semaphore_inversion_across_types_is_reported() => Verify.AnalyzerAsync("""
        static class Shared
        {
            public static readonly object Gate = new();
            public static readonly SemaphoreSlim Slots = new(4);
        }
        class Writer
        {
            void M()
            {
                Monitor.Enter(Shared.Gate);
                {|ACRN002:{|ACRN004:Shared.Slots.Wait()|}|};
                Shared.Slots.Release();
                Monitor.Exit(Shared.Gate);
            }
        }
        class Reader
        {
            void M()
            {
                Shared.Slots.Wait();
                {|ACRN004:Monitor.Enter(Shared.Gate)|};
                Monitor.Exit(Shared.Gate);
                Shared.Slots.Release();
            }
        }
        """);

    [Fact]
    public Task Async_locks_nested_in_both_orders_are_reported() => Verify.AnalyzerAsync("""
        using Locks;
        class C
        {
            private readonly AsyncMutex<int> _accounts = new();
            private readonly AsyncMutex<int> _ledger = new();
            private int _count;
            async Task Transfer()
            {
                {|ACRN003:using (await _accounts.LockAsync())|}
                {|ACRN004:using (await _ledger.LockAsync())|}
                {
                    _count++;
                }
            }
            async Task Audit()
            {
                {|ACRN003:using (await _ledger.LockAsync())|}
                {|ACRN004:using (await _accounts.LockAsync())|}
                {
                    _count--;
                }
            }
        }
        """ + TestTypes.AsyncLocks);

    [Fact]
    public Task Consistent_order_is_not_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();
            private int _count;
            void First() { lock (_a) { lock (_b) { _count++; } } }
            void Second() { lock (_a) { lock (_b) { _count--; } } }
        }
        """);

    [Fact]
    public Task Locks_taken_one_after_the_other_are_not_an_order() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();
            private int _count;
            void First()
            {
                lock (_a) { _count++; }
                lock (_b) { _count++; }
            }
            void Second()
            {
                lock (_b) { _count--; }
                lock (_a) { _count--; }
            }
        }
        """);

    [Fact]
    public Task Locks_in_locals_and_parameters_are_not_ordered() => Verify.AnalyzerAsync("""
        class C
        {
            private int _count;
            void First(object a, object b) { lock (a) { lock (b) { _count++; } } }
            void Second(object a, object b) { lock (b) { lock (a) { _count--; } } }
        }
        """);

    [Fact]
    public Task Release_before_the_second_acquisition_is_not_nesting() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();
            void First()
            {
                Monitor.Enter(_a);
                Monitor.Exit(_a);
                Monitor.Enter(_b);
                Monitor.Exit(_b);
            }
            void Second()
            {
                lock (_b) { lock (_a) { } }
            }
        }
        """);
}
