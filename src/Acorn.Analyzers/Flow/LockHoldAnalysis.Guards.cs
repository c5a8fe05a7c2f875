using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>ACRN007: guards that are thrown away, or kept in a local that some path never disposes.</summary>
internal sealed partial class LockHoldAnalysis
{
    /// <summary>
    /// After <see cref="ForwardFlowAnalysis{T}.Run"/>: the guards still held where the body ends normally, kept in a
    /// local that is only used in place (never returned, passed on, stored or captured, which hands it to other code).
    /// </summary>
    public void CollectUndisposedGuards()
    {
        if (ExitState is not { } exit)
        {
            return;
        }

        foreach (var acquisition in exit)
        {
            if (acquisition.Call.ReturnsGuard && acquisition.GuardLocal is { } local && !Findings.DiscardedGuards.Contains(acquisition)
                && !GuardEscapes.From(Graph, local))
            {
                Findings.UndisposedGuards.Add(acquisition);
            }
        }
    }

    /// <summary>True when the guard of an acquisition is thrown away: an expression statement, <c>_ = ...</c>, <c>out _</c>.</summary>
    private bool IsDiscarded(IOperation operation, Acquisition acquisition)
    {
        if (acquisition.Call.GuardOut is { } guardOut)
        {
            return _keys.Resolve(guardOut) is IDiscardOperation;
        }

        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            operation = parent;
            parent = parent.Parent;
        }

        return parent is IExpressionStatementOperation
            || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard && discard.Value == operation);
    }
}
