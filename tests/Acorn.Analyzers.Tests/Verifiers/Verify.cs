using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Acorn.Analyzers.Tests.Verifiers;

/// <summary>Entry points in the style of Meziantou's ProjectBuilder: sources with <c>{|ID:...|}</c> markers.</summary>
internal static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Checks that the analyzer reports exactly the marked spans, with any <c>.editorconfig</c> lines given.</summary>
    public static Task AnalyzerAsync(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = Create(source, editorConfig, fixedSource: null);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Checks the marked diagnostics and that the code fix turns the source into <paramref name="fixedSource"/>.</summary>
    public static Task CodeFixAsync(string source, string fixedSource, string? editorConfig = null)
        => Create(source, editorConfig, fixedSource).RunAsync(TestContext.Current.CancellationToken);

    /// <summary>Checks the marked diagnostics and that no code fix is offered for them.</summary>
    public static Task NoCodeFixAsync(string source)
        => Create(source, null, fixedSource: source).RunAsync(TestContext.Current.CancellationToken);

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    private static AnalyzerTest<TAnalyzer, TCodeFix> Create(string source, string? editorConfig, string? fixedSource)
    {
        var test = new AnalyzerTest<TAnalyzer, TCodeFix> { TestCode = source };
        AddCommonFiles(test.TestState, editorConfig);
        if (fixedSource is not null)
        {
            test.FixedCode = fixedSource;
            AddCommonFiles(test.FixedState, editorConfig);
        }

        return test;
    }

    private static void AddCommonFiles(SolutionState state, string? editorConfig)
    {
        state.Sources.Add(("/0/Usings.cs", AnalyzerTest<TAnalyzer, TCodeFix>.Usings));
        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }
    }
}
