using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>
/// Computes and memoizes method summaries for one compilation: what a call to a helper method does to locks. A summary
/// at depth d analyses the helper with its own callees' summaries at depth d - 1, so helpers are followed three calls
/// deep; a summary that consulted no callee is the same at every depth and is computed once.
/// </summary>
internal sealed class SummaryProvider
{
    /// <summary>How many helper calls deep the summaries look: a caller, then up to three nested helpers.</summary>
    public const int MaxDepth = 3;

    // Slot 0 holds a summary that does not depend on the depth; slots 1..MaxDepth the others.
    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary?[]> _memo = new(SymbolEqualityComparer.Default);
    private readonly Func<SyntaxTree, LockApi> _apis;
    private readonly CancellationToken _cancellationToken;

    /// <param name="apis">The lock API recogniser configured for a tree.</param>
    /// <param name="cancellationToken">The compilation's cancellation.</param>
    public SummaryProvider(Func<SyntaxTree, LockApi> apis, CancellationToken cancellationToken)
    {
        _apis = apis;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The summary of <paramref name="method"/> at <paramref name="depth"/>, or null when it has none: no body in a tree
    /// that <paramref name="models"/> gives a semantic model for, abstract, extern. A provider must always be asked with
    /// the same <paramref name="models"/> for a given tree, so that its memo holds one answer per method.
    /// </summary>
    public MethodSummary? Get(IMethodSymbol method, int depth, Func<SyntaxTree, SemanticModel?> models)
    {
        method = Normalize(method);
        if (depth <= 0 || !IsSummarizable(method))
        {
            return null;
        }

        // A live scope reads its own file only: a method of another file has no summary for it, even one that its own
        // file's analysis has put in the memo already (the answer must not depend on which file was analysed first).
        if (!method.DeclaringSyntaxReferences.Any(reference => models(reference.SyntaxTree) is not null))
        {
            return null;
        }

        var slots = _memo.GetOrAdd(method, _ => new MethodSummary?[MaxDepth + 1]);
        var known = slots[0] ?? slots[depth];
        if (known is not null)
        {
            return known;
        }

        var (summary, consulted) = Compute(method, depth, models);
        if (summary is null)
        {
            return null;
        }

        slots[consulted ? depth : 0] = summary;
        return summary;
    }

    /// <summary>The declaration a call's target stands for: a generic method's definition, a partial method's implementation.</summary>
    public static IMethodSymbol Normalize(IMethodSymbol method) => (method.PartialImplementationPart ?? method).OriginalDefinition;

    /// <summary>Methods with a body in source: not abstract, extern, a lambda or a local function (those are analysed with their enclosing body).</summary>
    private static bool IsSummarizable(IMethodSymbol method)
        => method is { IsAbstract: false, IsExtern: false, MethodKind: MethodKind.Ordinary or MethodKind.Constructor or MethodKind.ExplicitInterfaceImplementation }
            && !method.DeclaringSyntaxReferences.IsEmpty;

    private (MethodSummary? Summary, bool Consulted) Compute(IMethodSymbol method, int depth, Func<SyntaxTree, SemanticModel?> models)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var model = models(reference.SyntaxTree);
            if (model is null
                || model.GetOperation(reference.GetSyntax(_cancellationToken), _cancellationToken) is not { } body
                || body is not (IMethodBodyOperation or IConstructorBodyOperation))
            {
                continue;
            }

            var api = _apis(reference.SyntaxTree);
            var scope = new SummaryScope(this, depth - 1, models);
            if (!api.MayTouchLocks(body, scope))
            {
                return (MethodSummary.Empty, scope.Consulted);
            }

            var graph = body is IMethodBodyOperation methodBody
                ? ControlFlowGraph.Create(methodBody, _cancellationToken)
                : ControlFlowGraph.Create((IConstructorBodyOperation)body, _cancellationToken);
            var analysis = new LockHoldAnalysis(graph, BodyKind.Of(method), api, scope, summarizing: method);
            analysis.Run(report: false);
            return (analysis.Summarize(), scope.Consulted);
        }

        return (null, false);
    }
}
