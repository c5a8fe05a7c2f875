using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>The operations a basic block evaluates, in order: its statements, then its branch condition.</summary>
internal static class BlockOperations
{
    public static IEnumerable<IOperation> Of(BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } branch)
        {
            yield return branch;
        }
    }

    /// <summary>Every operation of the block, nested ones included (lambda bodies excepted: they have graphs of their own).</summary>
    public static IEnumerable<IOperation> Descendants(BasicBlock block)
    {
        foreach (var root in Of(block))
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                yield return operation;
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> with <paramref name="root"/> and its descendants in evaluation order (children
    /// before their parent), leaving out lambdas and local functions, whose bodies are analysed on their own.
    /// </summary>
    public static List<IOperation> PostOrder(IOperation root, List<IOperation> buffer)
    {
        buffer.Clear();
        Add(root, buffer);
        return buffer;

        static void Add(IOperation operation, List<IOperation> buffer)
        {
            if (operation is IFlowAnonymousFunctionOperation)
            {
                return;
            }

            foreach (var child in operation.ChildOperations)
            {
                Add(child, buffer);
            }

            buffer.Add(operation);
        }
    }
}
