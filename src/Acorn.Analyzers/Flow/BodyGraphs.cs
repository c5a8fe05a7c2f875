using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>Enumerates a graph and the graphs of the lambdas and local functions inside it, each as its own body.</summary>
internal static class BodyGraphs
{
    public static IEnumerable<(ControlFlowGraph Graph, BodyKind Body)> Expand(ControlFlowGraph root, ISymbol? owner)
    {
        var pending = new Stack<(ControlFlowGraph, BodyKind)>();
        pending.Push((root, BodyKind.Of(owner)));
        while (pending.Count > 0)
        {
            var (graph, body) = pending.Pop();
            yield return (graph, body);
            foreach (var localFunction in graph.LocalFunctions)
            {
                pending.Push((graph.GetLocalFunctionControlFlowGraph(localFunction), BodyKind.Of(localFunction)));
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in BlockOperations.Descendants(block))
                {
                    if (operation is IFlowAnonymousFunctionOperation anonymous)
                    {
                        pending.Push((graph.GetAnonymousFunctionControlFlowGraph(anonymous), BodyKind.Of(anonymous.Symbol)));
                    }
                }
            }
        }
    }

    /// <summary>True for the operation blocks a control-flow graph can be built for.</summary>
    public static bool IsExecutableRoot(IOperation operation)
        => operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation
            or IFieldInitializerOperation or IPropertyInitializerOperation or IParameterInitializerOperation;
}
