using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.LockHoldingAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

/// <summary>Shapes users reported as false positives (issue 16, point 4), and their true-positive neighbours.</summary>
public sealed class ReportedFalsePositiveTests
{
    [Theory]
    [InlineData("object")]
    [InlineData("Lock")]
    public Task Lock_statement_in_an_await_foreach_body_of_an_async_iterator_is_not_held_at_the_next_move(string lockType) => Verify.AnalyzerAsync($$"""
        class C
        {
            private readonly {{lockType}} _gate = new();
            private int _count;
            async IAsyncEnumerable<int> M(IAsyncEnumerable<int> source)
            {
                await foreach (var item in source)
                {
                    int snapshot;
                    lock (_gate)
                    {
                        _count += item;
                        snapshot = _count;
                    }

                    yield return snapshot;
                }
            }
        }
        """);

    // A consumer that stops at the yield disposes the iterator: the source's DisposeAsync then runs with the lock held.
    [Fact]
    public Task Monitor_held_at_a_yield_inside_an_await_foreach_is_still_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async IAsyncEnumerable<int> M(IAsyncEnumerable<int> source)
            {
                {|ACRN001:await foreach (var item in source)|}
                {
                    Monitor.Enter(_gate);
                    {|ACRN001:yield return item;|}
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Await_using_declared_before_a_monitor_region_is_not_held_at_its_dispose() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private int _count;
            async Task M(Func<IAsyncDisposable> open)
            {
                await using var resource = open();
                Monitor.Enter(_gate);
                try
                {
                    _count++;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }
        """);

    [Fact]
    public Task Await_using_declared_before_a_lock_statement_is_not_held_at_its_dispose() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly Lock _gate = new();
            private int _count;
            async Task M(Func<IAsyncDisposable> open)
            {
                await using var resource = open();
                lock (_gate)
                {
                    _count++;
                }
            }
        }
        """);

    [Fact]
    public Task Await_using_whose_dispose_runs_with_the_monitor_still_held_is_reported() => Verify.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(Func<IAsyncDisposable> open)
            {
                {|ACRN001:await using var resource = open();|}
                Monitor.Enter(_gate);
            }
        }
        """);
}
