using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>The summaries one body may use: its callees' at one depth, and whether it asked for any.</summary>
internal sealed class SummaryScope
{
    private readonly SummaryProvider _provider;
    private readonly int _depth;
    private readonly System.Func<SyntaxTree, SemanticModel?> _models;

    /// <param name="provider">The compilation's summaries.</param>
    /// <param name="depth">How many calls deeper summaries may still look; 0 for none.</param>
    /// <param name="models">The semantic models of the trees whose methods may be summarized.</param>
    public SummaryScope(SummaryProvider provider, int depth, System.Func<SyntaxTree, SemanticModel?> models)
    {
        _provider = provider;
        _depth = depth;
        _models = models;
    }

    /// <summary>The scope of a body in the tree of <paramref name="model"/>, following helpers declared in that tree only.</summary>
    public static SummaryScope SameTree(SummaryProvider provider, SemanticModel model)
        => new(provider, SummaryProvider.MaxDepth, tree => tree == model.SyntaxTree ? model : null);

    /// <summary>True when calls are no longer followed: the depth limit is reached.</summary>
    public bool IsExhausted => _depth <= 0;

    /// <summary>True once the body asked for a callee's summary: its own summary then depends on the depth.</summary>
    public bool Consulted { get; private set; }

    /// <summary>
    /// The summary of the method a call runs, when it is known statically: a virtual or interface call has none, since
    /// the method that runs may be another one.
    /// </summary>
    public MethodSummary? Of(IInvocationOperation invocation) => IsStaticallyBound(invocation) ? Of(invocation.TargetMethod) : null;

    /// <summary>False for a virtual or interface call whose target may be overridden: the method that runs is not known.</summary>
    public static bool IsStaticallyBound(IInvocationOperation invocation)
        => !invocation.IsVirtual || invocation.TargetMethod.IsSealed || !invocation.TargetMethod.ContainingType.IsReferenceType
            || invocation.TargetMethod.ContainingType.IsSealed;

    public MethodSummary? Of(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        // Even a call not followed makes the caller's summary depend on the depth.
        Consulted = true;
        if (_depth <= 0)
        {
            return null;
        }

        var summary = _provider.Get(method, _depth, _models);
        return summary is null || summary.IsEmpty ? null : summary;
    }

    /// <summary>The summary of what disposing a value of <paramref name="type"/> releases: its Dispose and DisposeAsync.</summary>
    public MethodSummary? OfDispose(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named || named.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        MethodSummary? found = null;
        foreach (var member in named.GetMembers())
        {
            if (member is IMethodSymbol { Parameters.IsEmpty: true } method
                && (method.Name is "Dispose" or "DisposeAsync" || method.Name.EndsWith(".Dispose", System.StringComparison.Ordinal) || method.Name.EndsWith(".DisposeAsync", System.StringComparison.Ordinal))
                && Of(method) is { } summary)
            {
                found = summary;
                if (!summary.MayRelease.IsEmpty)
                {
                    return summary;
                }
            }
        }

        return found;
    }
}
