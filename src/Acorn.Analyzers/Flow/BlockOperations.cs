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
}
