using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>What kind of body a control-flow graph belongs to: whether it may await, and whether it is an async iterator.</summary>
internal readonly record struct BodyKind(bool IsAsync, bool IsAsyncIterator)
{
    public static BodyKind Of(ISymbol? symbol)
    {
        if (symbol is not IMethodSymbol { IsAsync: true } method)
        {
            return default;
        }

        var returns = LockApi.FullName(method.ReturnType);
        return new BodyKind(true, returns is "System.Collections.Generic.IAsyncEnumerable" or "System.Collections.Generic.IAsyncEnumerator");
    }
}
