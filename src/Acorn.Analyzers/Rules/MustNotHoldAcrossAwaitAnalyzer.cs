using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Acorn.Analyzers.Flow;
using Acorn.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Rules;

/// <summary>
/// ACRN005: a local whose type is marked <c>[MustNotHoldAcrossAwait]</c>, or listed in
/// <c>acorn_analyzers.must_not_hold_types</c>, is still used after an await (clippy's <c>await_holding_invalid_type</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MustNotHoldAcrossAwaitAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleDescriptors.MustNotHoldAcrossAwait);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Attribute lookups per type are shared by every body of the compilation.
            var marked = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, marked));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, ConcurrentDictionary<ITypeSymbol, bool> marked)
    {
        foreach (var root in context.OperationBlocks)
        {
            if (!BodyGraphs.IsExecutableRoot(root))
            {
                continue;
            }

            var listed = TypeNameList.Read(context.Options, root.Syntax.SyntaxTree, AnalyzerOptionKeys.MustNotHoldTypes);
            bool IsTracked(ILocalSymbol local) => marked.GetOrAdd(local.Type, type => IsMarked(type) || listed.Contains(type));

            if (!SuspendsWithTrackedLocal(root, IsTracked))
            {
                continue;
            }

            foreach (var (graph, _) in BodyGraphs.Expand(context.GetControlFlowGraph(root), context.OwningSymbol))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var analysis = new LiveAcrossAwaitAnalysis(graph, IsTracked);
                analysis.Run();
                foreach (var pair in analysis.HeldAcrossAwait)
                {
                    var declaration = pair.Key.DeclaringSyntaxReferences.FirstOrDefault();
                    if (declaration is null)
                    {
                        continue;
                    }

                    context.ReportDiagnostic(Diagnostic.Create(
                        RuleDescriptors.MustNotHoldAcrossAwait,
                        declaration.GetSyntax(context.CancellationToken).GetLocation(),
                        pair.Value.OrderBy(l => l.SourceSpan.Start),
                        pair.Key.Name,
                        pair.Key.Type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
                }
            }
        }
    }

    /// <summary>One pass, stopping early: does the body both suspend and declare a local of a tracked type?</summary>
    private static bool SuspendsWithTrackedLocal(IOperation root, System.Func<ILocalSymbol, bool> isTracked)
    {
        var suspends = false;
        var tracked = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            suspends |= operation is IAwaitOperation or IForEachLoopOperation { IsAsynchronous: true } or IUsingOperation { IsAsynchronous: true }
                or IUsingDeclarationOperation { IsAsynchronous: true };
            tracked |= operation is IVariableDeclaratorOperation declarator && isTracked(declarator.Symbol);
            if (suspends && tracked)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMarked(ITypeSymbol type)
    {
        foreach (var attribute in type.OriginalDefinition.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "MustNotHoldAcrossAwaitAttribute" or "MustNotHoldAcrossAwait")
            {
                return true;
            }
        }

        return false;
    }
}
