using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Acorn.Analyzers.CodeFixes.Rules;

/// <summary>
/// ACRN006: in an async method, replaces <c>t.Result</c>, <c>t.Wait()</c> and <c>t.GetAwaiter().GetResult()</c> with
/// <c>await t</c>, and <c>Task.WaitAll(tasks)</c> with <c>await Task.WhenAll(tasks)</c>. Overloads with a timeout or a
/// token, <c>Task.WaitAny</c> and a configured awaiter's <c>GetResult</c> are not rewritten.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncOverAsyncFixer)), Shared]
public sealed class SyncOverAsyncFixer : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SyncOverAsync);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
        => AwaitRewrite.RegisterAsync(context, "Await the task", nameof(SyncOverAsyncFixer));
}
