using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>
/// What a body's operations say about it without a control-flow graph, for the compilation-end pass over helpers in
/// other files: whether it calls a lock API itself, and which source methods it calls (statically bound ones only).
/// </summary>
internal sealed class BodyFacts
{
    private BodyFacts(bool touchesLocks, List<IMethodSymbol> callees, bool callsOtherFile)
    {
        TouchesLocks = touchesLocks;
        Callees = callees;
        CallsOtherFile = callsOtherFile;
    }

    /// <summary>
    /// True when the body acquires or releases a lock itself in a way its callers see: its same-file summary is not
    /// empty. A body whose locks are all taken and released inside it has nothing to hand to a caller.
    /// </summary>
    public bool TouchesLocks { get; private set; }

    /// <summary>The statically bound methods and constructors declared in source that the body calls.</summary>
    public List<IMethodSymbol> Callees { get; }

    /// <summary>True when one of the callees is declared only in another syntax tree.</summary>
    public bool CallsOtherFile { get; }

    /// <summary>Keeps <see cref="TouchesLocks"/> only when the body's own summary says a caller would see it.</summary>
    public void KeepTouchOnlyIf(bool seenByCallers) => TouchesLocks &= seenByCallers;

    public static BodyFacts Collect(IOperation root, LockApi api)
    {
        var tree = root.Syntax.SyntaxTree;
        var touches = false;
        var otherFile = false;
        var callees = new List<IMethodSymbol>();
        foreach (var operation in root.DescendantsAndSelf())
        {
            touches = touches || api.TouchesLock(operation);
            var callee = operation switch
            {
                IInvocationOperation invocation when SummaryScope.IsStaticallyBound(invocation) => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (callee is null)
            {
                continue;
            }

            callee = SummaryProvider.Normalize(callee);
            if (callee.DeclaringSyntaxReferences.IsEmpty)
            {
                continue;
            }

            callees.Add(callee);
            otherFile |= !callee.DeclaringSyntaxReferences.Any(reference => reference.SyntaxTree == tree);
        }

        return new BodyFacts(touches, callees, otherFile);
    }
}
