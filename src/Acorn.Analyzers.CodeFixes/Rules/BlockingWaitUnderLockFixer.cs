using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Acorn.Analyzers.CodeFixes.Rules;

/// <summary>
/// ACRN002: replaces <c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c> and <c>Thread.Sleep</c> with an
/// await. The analyzer offers it only in an async body where every lock held is an async lock, so the new await cannot
/// hold a thread-affine lock.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitUnderLockFixer)), Shared]
public sealed class BlockingWaitUnderLockFixer : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BlockingWaitUnderLock);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.AwaitFix, out var kind)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax blocking
                || AwaitFor(blocking, kind) is not { } replacement)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Await instead of blocking",
                    cancellationToken => Replace(context.Document, blocking, replacement, cancellationToken),
                    equivalenceKey: nameof(BlockingWaitUnderLockFixer)),
                diagnostic);
        }
    }

    private static ExpressionSyntax? AwaitFor(ExpressionSyntax blocking, string? kind)
    {
        var awaited = (kind, blocking) switch
        {
            (DiagnosticProperties.ResultToAwait, MemberAccessExpressionSyntax result) => result.Expression,
            (DiagnosticProperties.WaitToAwait, InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait }) => wait.Expression,
            (DiagnosticProperties.GetResultToAwait, InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter } },
            }) => getAwaiter.Expression,
            (DiagnosticProperties.SleepToDelay, InvocationExpressionSyntax sleep) => SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("global::System.Threading.Tasks.Task.Delay").WithAdditionalAnnotations(Simplifier.Annotation), sleep.ArgumentList),
            _ => null,
        };
        if (awaited is null)
        {
            return null;
        }

        var awaitExpression = SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
        ExpressionSyntax replacement = blocking.Parent is ExpressionStatementSyntax ? awaitExpression : SyntaxFactory.ParenthesizedExpression(awaitExpression);
        return replacement.WithTriviaFrom(blocking).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    private static async Task<Document> Replace(Document document, SyntaxNode blocking, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(blocking, replacement));
    }
}
