using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Acorn.Analyzers.CodeFixes.Rules;

/// <summary>
/// ACRN007: keeps the guard in a <c>using</c> declaration, so that it is disposed at the end of the enclosing block.
/// A discarded guard (<c>await m.LockAsync();</c>, <c>_ = await m.LockAsync();</c>) becomes <c>using var guard = ...;</c>;
/// a local guard that is never disposed nor reassigned gets <c>using</c>. <c>await using</c> for a guard that is only
/// <see cref="System.IAsyncDisposable"/>. No fix inside a statement that is not in a block, nor for a local that is
/// disposed on some paths already (moving its release to the end of the block would hold the lock longer there).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UndisposedGuardFixer)), Shared]
public sealed class UndisposedGuardFixer : CodeFixProvider
{
    private const string Title = "Keep the guard in a 'using' declaration";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UndisposedGuard);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => new FixAll();

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var plans = await PlanAsync(context.Document, ImmutableArray.Create(diagnostic), context.CancellationToken).ConfigureAwait(false);
            if (plans.Count == 1)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), nameof(UndisposedGuardFixer)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = await PlanAsync(document, diagnostics, cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || plans.Count == 0)
        {
            return document;
        }

        var tracked = root.TrackNodes(plans.Select(plan => plan.Statement));
        var used = new Dictionary<SyntaxNode, HashSet<string>>();
        foreach (var plan in plans)
        {
            if (!used.TryGetValue(plan.Member, out var names))
            {
                names = new HashSet<string>(plan.Member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
                used[plan.Member] = names;
            }

            var current = tracked.GetCurrentNode(plan.Statement)!;
            tracked = tracked.ReplaceNode(current, Rewrite(plan, current, names));
        }

        return document.WithSyntaxRoot(tracked);
    }

    private static LocalDeclarationStatementSyntax Rewrite(Plan plan, StatementSyntax statement, HashSet<string> names)
    {
        var usingKeyword = SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        var awaitKeyword = plan.AwaitUsing ? SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space) : default;
        if (statement is LocalDeclarationStatementSyntax declaration)
        {
            return declaration.WithAwaitKeyword(awaitKeyword).WithUsingKeyword(usingKeyword)
                .WithLeadingTrivia(declaration.GetLeadingTrivia()).WithDeclaration(declaration.Declaration.WithoutLeadingTrivia());
        }

        var name = "guard";
        for (var i = 2; names.Contains(name); i++)
        {
            name = "guard" + i;
        }

        names.Add(name);
        var declared = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(plan.Guard.WithoutTrivia())))))
            .WithAwaitKeyword(awaitKeyword)
            .WithUsingKeyword(usingKeyword);
        return declared.WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>What to rewrite for each diagnostic that has a mechanical fix, in document order.</summary>
    private static async Task<List<Plan>> PlanAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var plans = new List<Plan>();
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return plans;
        }

        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax guard
                && PlanFor(guard, model, cancellationToken) is { } plan
                && plans.All(other => other.Statement != plan.Statement))
            {
                plans.Add(plan);
            }
        }

        return plans;
    }

    private static Plan? PlanFor(ExpressionSyntax guard, SemanticModel model, CancellationToken cancellationToken)
    {
        while (guard.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            guard = parenthesized;
        }

        var statement = guard.Parent switch
        {
            ExpressionStatementSyntax discarded => discarded,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } left, Parent: ExpressionStatementSyntax discarded } assignment
                when assignment.Right == guard && model.GetSymbolInfo(left, cancellationToken).Symbol is null or IDiscardSymbol => discarded,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when IsPlainLocal(declarator, model, cancellationToken) => (StatementSyntax)declarator.Parent!.Parent!,
            _ => null,
        };
        if (statement is not { Parent: BlockSyntax }
            || statement.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) is not { } member
            || model.GetTypeInfo(guard, cancellationToken).Type is not { } type)
        {
            return null;
        }

        if (IsDisposable(type))
        {
            return new Plan(statement, guard, member, AwaitUsing: false);
        }

        return Implements(type, "System.IAsyncDisposable") && IsAsyncContext(member, model, cancellationToken)
            ? new Plan(statement, guard, member, AwaitUsing: true)
            : null;
    }

    /// <summary>A local declared alone, without <c>using</c>, that is never written again nor disposed anywhere.</summary>
    private static bool IsPlainLocal(VariableDeclaratorSyntax declarator, SemanticModel model, CancellationToken cancellationToken)
    {
        if (declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, IsConst: false } } declaration
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
            || declaration.Parent?.Parent is not BlockSyntax block)
        {
            return false;
        }

        foreach (var name in block.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                continue;
            }

            var written = name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name
                || name.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 };
            var disposed = name.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" } member && member.Expression == name;
            if (written || disposed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDisposable(ITypeSymbol type)
        => Implements(type, "System.IDisposable")
            || (type.IsRefLikeType && type.GetMembers("Dispose").OfType<IMethodSymbol>().Any(m => m.Parameters.IsEmpty && !m.IsStatic));

    private static bool Implements(ITypeSymbol type, string name)
        => type.ToDisplayString() == name || type.AllInterfaces.Any(i => i.ToDisplayString() == name);

    private static bool IsAsyncContext(SyntaxNode member, SemanticModel model, CancellationToken cancellationToken)
        => member switch
        {
            MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.RawKind != 0,
            _ => model.GetEnclosingSymbol(member.SpanStart, cancellationToken) is IMethodSymbol { IsAsync: true },
        };

    /// <summary>One rewrite: the statement to replace, the guard expression, the member whose names it must not reuse.</summary>
    private sealed record Plan(StatementSyntax Statement, ExpressionSyntax Guard, SyntaxNode Member, bool AwaitUsing);

    /// <summary>Fixes every diagnostic of a document in one pass, so that new guards get distinct names.</summary>
    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
            => await ApplyAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
