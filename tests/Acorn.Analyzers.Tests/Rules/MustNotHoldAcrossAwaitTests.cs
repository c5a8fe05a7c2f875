using Microsoft.CodeAnalysis.Testing;
using Verify = Acorn.Analyzers.Tests.Verifiers.Verify<Acorn.Analyzers.Rules.MustNotHoldAcrossAwaitAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Acorn.Analyzers.Tests.Rules;

public sealed class MustNotHoldAcrossAwaitTests
{
    private const string Marked = """

        namespace Markers
        {
            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
            sealed class MustNotHoldAcrossAwaitAttribute : Attribute { }

            [MustNotHoldAcrossAwait]
            sealed class Borrowed : IDisposable
            {
                public int Value => 1;
                public void Dispose() { }
            }

            sealed class Plain : IDisposable
            {
                public int Value => 1;
                public void Dispose() { }
            }
        }
        """;

    [Fact]
    public Task Marked_local_read_after_an_await_is_reported_at_its_declarator() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                var {|#0:borrowed = new Borrowed()|};
                {|#1:await Task.Yield()|};
                return borrowed.Value;
            }
        }
        """ + Marked,
        null,
        Verify.Diagnostic("ACRN005").WithLocation(0).WithLocation(1).WithArguments("borrowed", "Borrowed"));

    [Fact]
    public Task Marked_local_disposed_by_using_after_an_await_is_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task M()
            {
                using var {|ACRN005:borrowed = new Borrowed()|};
                await Task.Yield();
            }
        }
        """ + Marked);

    [Fact]
    public Task Type_listed_in_editorconfig_is_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                var {|ACRN005:plain = new Plain()|};
                await Task.Yield();
                return plain.Value;
            }
        }
        """ + Marked,
        "acorn_analyzers.must_not_hold_types = Markers.Plain");

    [Fact]
    public Task Use_after_an_await_on_one_branch_only_is_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M(bool slow)
            {
                var {|ACRN005:borrowed = new Borrowed()|};
                if (slow)
                {
                    await Task.Yield();
                }

                return borrowed.Value;
            }
        }
        """ + Marked);

    [Fact]
    public Task Marked_local_finished_before_the_await_is_not_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                int value;
                using (var borrowed = new Borrowed())
                {
                    value = borrowed.Value;
                }

                await Task.Yield();
                return value;
            }
        }
        """ + Marked);

    [Fact]
    public Task Local_reassigned_after_the_await_is_not_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                var borrowed = new Borrowed();
                var first = borrowed.Value;
                await Task.Yield();
                borrowed = new Borrowed();
                return first + borrowed.Value;
            }
        }
        """ + Marked);

    [Fact]
    public Task Unlisted_type_is_not_reported() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                var plain = new Plain();
                await Task.Yield();
                return plain.Value;
            }
        }
        """ + Marked);

    [Fact]
    public Task Lambda_using_the_local_after_its_own_await_is_its_own_body() => Verify.AnalyzerAsync("""
        using Markers;
        class C
        {
            async Task<int> M()
            {
                var borrowed = new Borrowed();
                var value = borrowed.Value;
                Func<Task> later = async () => await Task.Yield();
                await later();
                return value;
            }
        }
        """ + Marked);
}
