using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Acorn.Analyzers.Tests.Verifiers;

/// <summary>Entry points in the style of Meziantou's ProjectBuilder: sources with <c>[|...|]</c> or <c>{|ID:...|}</c> markers.</summary>
internal static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Checks that the analyzer reports exactly the marked spans, with any <c>.editorconfig</c> lines given.</summary>
    public static Task AnalyzerAsync(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = Create(source, editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Checks the marked diagnostics and that the code fix turns the source into <paramref name="fixedSource"/>.</summary>
    public static Task CodeFixAsync(string source, string fixedSource, string? editorConfig = null)
    {
        var test = Create(source, editorConfig);
        test.FixedCode = fixedSource;
        test.FixedState.Sources.Add(("/0/Usings.cs", AnalyzerTest<TAnalyzer, TCodeFix>.Usings));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Checks the marked diagnostics and that no code fix is offered for them.</summary>
    public static Task NoCodeFixAsync(string source)
    {
        var test = Create(source, null);
        test.FixedCode = source;
        test.FixedState.Sources.Add(("/0/Usings.cs", AnalyzerTest<TAnalyzer, TCodeFix>.Usings));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    private static AnalyzerTest<TAnalyzer, TCodeFix> Create(string source, string? editorConfig)
    {
        var test = new AnalyzerTest<TAnalyzer, TCodeFix> { TestCode = source };
        test.TestState.Sources.Add(("/0/Usings.cs", AnalyzerTest<TAnalyzer, TCodeFix>.Usings));
        if (editorConfig is not null)
        {
            var config = "root = true\n\n[*.cs]\n" + editorConfig + "\n";
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
            test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        }

        return test;
    }
}
