using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// ACRN005: finds locals of tracked types whose value, assigned before an await, is read (or disposed by
/// <c>using</c>) after it on some path.
/// </summary>
internal sealed class LiveAcrossAwaitAnalysis : ForwardFlowAnalysis<LocalFact>
{
    private readonly System.Func<ILocalSymbol, bool> _isTracked;
    private readonly List<IOperation> _postOrder = new();

    public LiveAcrossAwaitAnalysis(ControlFlowGraph graph, System.Func<ILocalSymbol, bool> isTracked)
        : base(graph)
        => _isTracked = isTracked;

    /// <summary>Tracked locals used after an await, with the awaits they were held across.</summary>
    public Dictionary<ILocalSymbol, HashSet<Location>> HeldAcrossAwait { get; } = new(SymbolEqualityComparer.Default);

    protected override ImmutableHashSet<LocalFact> TransferBlock(BasicBlock block, ImmutableHashSet<LocalFact> state, bool report)
    {
        var facts = state.ToBuilder();
        foreach (var operation in BlockOperations.Of(block))
        {
            foreach (var node in BlockOperations.PostOrder(operation, _postOrder))
            {
                Apply(node, facts, report);
            }
        }

        return facts.Count == state.Count && state.SetEquals(facts) ? state : facts.ToImmutable();
    }

    private void Apply(IOperation operation, ImmutableHashSet<LocalFact>.Builder facts, bool report)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when _isTracked(target.Local):
                Kill(facts, target.Local);
                facts.Add(new LocalFact(target.Local, null));
                break;
            case ILocalReferenceOperation read when report && _isTracked(read.Local) && !IsWrite(read):
                foreach (var fact in facts)
                {
                    if (fact.Await is { } await && SymbolEqualityComparer.Default.Equals(fact.Local, read.Local))
                    {
                        HoldFindings.Add(HeldAcrossAwait, read.Local, await);
                    }
                }

                break;
            case IAwaitOperation await when facts.Count > 0:
                var point = ReportLocations.OfAwait(await);
                var live = new List<LocalFact>();
                foreach (var fact in facts)
                {
                    if (fact.Await is null)
                    {
                        live.Add(new LocalFact(fact.Local, point));
                    }
                }

                facts.UnionWith(live);
                break;
        }
    }

    private static bool IsWrite(ILocalReferenceOperation reference)
        => reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private static void Kill(ImmutableHashSet<LocalFact>.Builder facts, ILocalSymbol local)
    {
        var stale = new List<LocalFact>();
        foreach (var fact in facts)
        {
            if (SymbolEqualityComparer.Default.Equals(fact.Local, local))
            {
                stale.Add(fact);
            }
        }

        facts.ExceptWith(stale);
    }
}
