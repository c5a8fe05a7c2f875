using System.Collections.Immutable;
using Acorn.Analyzers.Rules;
using Acorn.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Acorn.Analyzers.Tests.Rules;

/// <summary>Helpers declared in another file: followed at compilation end only.</summary>
public sealed class CrossFileHelperTests
{
    private const string Gate = """
        sealed class Gate
        {
            private readonly object _lock = new();
            public void Enter() => Monitor.Enter(_lock);
            public void Exit() => Monitor.Exit(_lock);
        }
        """;

    [Fact]
    public Task Helper_in_another_file_that_enters_is_followed() => RunAsync(
        ("/0/Gate.cs", Gate),
        ("/0/User.cs", """
            class C
            {
                private readonly Gate _gate = new();
                async Task M()
                {
                    _gate.Enter();
                    {|ACRN001:await Task.Yield()|};
                    _gate.Exit();
                    await Task.Yield();
                }
            }
            """));

    [Fact]
    public Task Releaser_returned_by_a_helper_in_another_file_is_held_until_disposed() => RunAsync(
        ("/0/ClientContext.cs", TestTypes.ClientContext),
        ("/0/ProjectClient.cs", """
            class ProjectClient
            {
                private ClientContext Context { get; } = new();

                async Task<int> GetAsync(Func<Task<int>> fetch)
                {
                    using (Context.BeginOperationScope())
                    {
                        return {|ACRN001:await fetch()|};
                    }
                }

                void Forget()
                {
                    {|ACRN007:Context.BeginOperationScope()|};
                }
            }
            """));

    [Fact]
    public Task Same_file_helper_that_calls_a_helper_in_another_file_is_followed() => RunAsync(
        ("/0/Gate.cs", Gate),
        ("/0/User.cs", """
            class C
            {
                private readonly Gate _gate = new();
                void Hold() => _gate.Enter();
                async Task M()
                {
                    Hold();
                    {|ACRN001:await Task.Yield()|};
                    _gate.Exit();
                }
            }
            """));

    // The live analysis cannot see the release in the other file; the compilation-end pass can add findings but not
    // take one back. Documented in docs/analyzers/README.md (helper methods).
    [Fact]
    public Task Lock_released_by_a_helper_in_another_file_is_still_reported_by_the_live_analysis() => RunAsync(
        ("/0/Locks.cs", """
            static class Locks
            {
                public static void Drop(object gate) => Monitor.Exit(gate);
            }
            """),
        ("/0/User.cs", """
            class C
            {
                private readonly object _gate = new();
                async Task M()
                {
                    Monitor.Enter(_gate);
                    Locks.Drop(_gate);
                    {|ACRN001:await Task.Yield()|};
                }
            }
            """));

    [Fact]
    public async Task Findings_through_another_file_are_build_only_and_tagged_compilation_end()
    {
        var token = TestContext.Current.CancellationToken;
        var gate = CSharpSyntaxTree.ParseText(Gate, path: "Gate.cs", cancellationToken: token);
        var user = CSharpSyntaxTree.ParseText("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private readonly Gate _gate = new();
                async Task M()
                {
                    _gate.Enter();
                    await Task.Yield();
                    _gate.Exit();
                }
            }
            """, path: "User.cs", cancellationToken: token);
        var compilation = CSharpCompilation.Create(
            "CrossFile",
            new[] { CSharpSyntaxTree.ParseText("global using System; global using System.Threading;", cancellationToken: token), gate, user },
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LockHoldingAnalyzer()));

        var live = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(user), null, token);
        var build = await analyzers.GetAnalyzerDiagnosticsAsync(token);

        Assert.Empty(live);
        var found = Assert.Single(build);
        Assert.Equal("ACRN001", found.Id);
        Assert.Equal("User.cs", found.Location.SourceTree?.FilePath);
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, found.Descriptor.CustomTags);
    }

    private static Task RunAsync(params (string Path, string Source)[] files)
    {
        var test = new AnalyzerTest<LockHoldingAnalyzer, EmptyCodeFixProvider>();
        foreach (var file in files)
        {
            test.TestState.Sources.Add(file);
        }

        test.TestState.Sources.Add(("/0/Usings.cs", AnalyzerTest<LockHoldingAnalyzer, EmptyCodeFixProvider>.Usings));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
