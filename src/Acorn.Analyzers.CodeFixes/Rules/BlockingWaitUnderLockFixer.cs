using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Acorn.Analyzers.CodeFixes.Rules;

/// <summary>
/// ACRN002: replaces <c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll(tasks)</c> and
/// <c>Thread.Sleep</c> with an await. The analyzer offers it only in an async body where every lock held is an async
/// lock, so the new await cannot hold a thread-affine lock.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitUnderLockFixer)), Shared]
public sealed class BlockingWaitUnderLockFixer : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BlockingWaitUnderLock);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
        => AwaitRewrite.RegisterAsync(context, "Await instead of blocking", nameof(BlockingWaitUnderLockFixer));
}
