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
/// ACRN002 and ACRN006: replaces a blocking call with the await it stands for, as the analyzer's
/// <see cref="DiagnosticProperties.AwaitFix"/> property says: <c>t.Result</c>, <c>t.Wait()</c>,
/// <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>, <c>Thread.Sleep(n)</c> becomes <c>await Task.Delay(n)</c>,
/// <c>Task.WaitAll(a, b)</c> becomes <c>await Task.WhenAll(a, b)</c>. The analyzer sets the property only in an async body,
/// and for ACRN002 only where every lock held is an async lock, so the new await cannot hold a thread-affine lock.
/// Overloads with a timeout or a token, <c>Task.WaitAny</c> and a configured awaiter's <c>GetResult</c> get no property.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitInsteadOfBlockingFixer)), Shared]
public sealed class AwaitInsteadOfBlockingFixer : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BlockingWaitUnderLock, RuleIdentifiers.SyncOverAsync);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>The await that replaces <paramref name="blocking"/>, or null when the shape is not the one the property names.</summary>
    private static ExpressionSyntax? For(ExpressionSyntax blocking, string? kind)
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
            (DiagnosticProperties.WaitAllToWhenAll, InvocationExpressionSyntax waitAll) when blocking.Parent is ExpressionStatementSyntax => SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("global::System.Threading.Tasks.Task.WhenAll").WithAdditionalAnnotations(Simplifier.Annotation), waitAll.ArgumentList),
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
                || For(blocking, kind) is not { } replacement)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    diagnostic.Id == RuleIdentifiers.SyncOverAsync ? "Await the task" : "Await instead of blocking",
                    cancellationToken => Replace(context.Document, blocking, replacement, cancellationToken),
                    nameof(AwaitInsteadOfBlockingFixer)),
                diagnostic);
        }
    }

    private static async Task<Document> Replace(Document document, SyntaxNode blocking, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(blocking, replacement));
    }
}
