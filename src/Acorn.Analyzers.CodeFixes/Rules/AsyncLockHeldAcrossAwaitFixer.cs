using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Acorn.Analyzers.CodeFixes.Rules;

/// <summary>
/// ACRN003: moves the one await held under an async lock to just after the release, when that is mechanical: the
/// await is the last statement of the <c>using</c> block or of the <c>try</c> whose <c>finally</c> releases, and its
/// inputs are locals declared before the lock, parameters or constants (so running it later reads the same values).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncLockHeldAcrossAwaitFixer)), Shared]
public sealed class AsyncLockHeldAcrossAwaitFixer : CodeFixProvider
{
    private static readonly ImmutableHashSet<string> ReleaseNames = ImmutableHashSet.Create("Release", "Dispose", "DisposeAsync", "Exit", "Unlock");

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.AsyncLockHeldAcrossAwait);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (diagnostic.AdditionalLocations.Count != 1)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not AwaitExpressionSyntax awaited
            || awaited.Parent is not ExpressionStatementSyntax statement
            || statement.Parent is not BlockSyntax body
            || body.Statements.Last() != statement
            || HolderOf(body, diagnostic.Location.SourceSpan.Start) is not { Parent: BlockSyntax } holder
            || !InputsAreStable(awaited, holder, model))
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Await after releasing the lock",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(Move(root, statement, body, holder))),
                equivalenceKey: nameof(AsyncLockHeldAcrossAwaitFixer)),
            diagnostic);
    }

    /// <summary>The <c>using</c> that acquired, or the <c>try</c> after the acquisition whose finally releases.</summary>
    private static StatementSyntax? HolderOf(BlockSyntax body, int acquisitionStart)
    {
        switch (body.Parent)
        {
            case UsingStatementSyntax usingStatement when usingStatement.Statement == body && usingStatement.SpanStart == acquisitionStart:
                return usingStatement;
            case TryStatementSyntax { Catches.Count: 0, Finally: { } finallyClause } tryStatement when tryStatement.Block == body
                && tryStatement.SpanStart > acquisitionStart
                && finallyClause.Block.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(IsRelease):
                return tryStatement;
            default:
                return null;
        }
    }

    private static bool IsRelease(InvocationExpressionSyntax invocation)
        => invocation.Expression is MemberAccessExpressionSyntax member && ReleaseNames.Contains(member.Name.Identifier.ValueText);

    /// <summary>
    /// True when every name the await reads is a parameter, a constant, a method or type, or a local declared before
    /// the lock and not written by the release: then evaluating it after the release gives the same inputs.
    /// </summary>
    private static bool InputsAreStable(AwaitExpressionSyntax await, StatementSyntax holder, SemanticModel model)
    {
        if (await.DescendantNodes().Any(node => node is AnonymousFunctionExpressionSyntax or AssignmentExpressionSyntax))
        {
            return false;
        }

        var writtenByRelease = holder is TryStatementSyntax { Finally: { } finallyClause }
            ? model.AnalyzeDataFlow(finallyClause.Block)?.WrittenInside ?? ImmutableArray<ISymbol>.Empty
            : ImmutableArray<ISymbol>.Empty;
        foreach (var name in await.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            var symbol = model.GetSymbolInfo(name).Symbol;
            var stable = symbol switch
            {
                IParameterSymbol or IMethodSymbol or ITypeSymbol or INamespaceSymbol => true,
                IFieldSymbol { IsConst: true } => true,
                ILocalSymbol local => local.DeclaringSyntaxReferences.All(r => !holder.Span.Contains(r.Span))
                    && !writtenByRelease.Contains(local, SymbolEqualityComparer.Default),
                _ => false,
            };
            if (!stable)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Replaces only the holder (with itself minus the await, then the await), so that Fix All's edits of two holders never overlap.</summary>
    private static SyntaxNode Move(SyntaxNode root, ExpressionStatementSyntax statement, BlockSyntax body, StatementSyntax holder)
    {
        var newHolder = holder.ReplaceNode(body, body.WithStatements(body.Statements.Remove(statement)));
        return root.ReplaceNode(holder, new SyntaxNode[] { newHolder, statement.WithAdditionalAnnotations(Formatter.Annotation) });
    }
}
