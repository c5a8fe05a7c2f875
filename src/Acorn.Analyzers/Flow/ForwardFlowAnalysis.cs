using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// A forward "may" data-flow analysis over one <see cref="ControlFlowGraph"/>: the state at a point is the union of the
/// facts that hold on some path reaching it.
/// </summary>
/// <remarks>
/// Roslyn's graph leaves two kinds of flow implicit, and both matter for locks:
/// a branch that leaves a <c>try</c> runs the <c>finally</c> regions listed on the branch (modelled here as a call of
/// the finally region), and an exception can reach a <c>catch</c> (or a <c>finally</c>) from any point of the
/// <c>try</c> (modelled as the union of the states inside the <c>try</c>, each passed through the finally regions
/// between it and the handler). Exceptional entries to a finally region are analysed for findings but never flow on
/// to the code after the <c>try</c>, so a lock released on the normal path is not reported after it.
/// An analysis that overrides <see cref="RecordsThrowStates"/> says itself, operation by operation, what may be held
/// when an exception is thrown (<see cref="RecordThrowState"/>); otherwise every state inside the <c>try</c> counts.
/// </remarks>
internal abstract class ForwardFlowAnalysis<T>
{
    private readonly ControlFlowGraph _graph;
    private readonly ImmutableHashSet<T>?[] _in;
    private readonly ImmutableHashSet<T>?[] _out;
    private readonly ImmutableHashSet<T>?[] _finallyIn;
    private readonly ImmutableHashSet<T>?[] _thrown;
    private readonly bool[] _inFinally;

    protected ForwardFlowAnalysis(ControlFlowGraph graph)
    {
        _graph = graph;
        var count = graph.Blocks.Length;
        _in = new ImmutableHashSet<T>?[count];
        _out = new ImmutableHashSet<T>?[count];
        _finallyIn = new ImmutableHashSet<T>?[count];
        _thrown = new ImmutableHashSet<T>?[count];
        _inFinally = new bool[count];
        foreach (var block in graph.Blocks)
        {
            _inFinally[block.Ordinal] = IsInFinally(block.EnclosingRegion);
        }
    }

    /// <summary>The graph being analysed.</summary>
    protected ControlFlowGraph Graph => _graph;

    /// <summary>
    /// Applies the operations of <paramref name="block"/> to <paramref name="state"/>. Findings are recorded only when
    /// <paramref name="report"/> is true: in the final pass, once every state is stable.
    /// </summary>
    protected abstract ImmutableHashSet<T> TransferBlock(BasicBlock block, ImmutableHashSet<T> state, bool report);

    /// <summary>
    /// True when the analysis calls <see cref="RecordThrowState"/> before each operation that may throw: then an
    /// exception carries only those states to its handlers, not the state after an acquisition that cannot throw.
    /// </summary>
    protected virtual bool RecordsThrowStates => false;

    /// <summary>Notes that an exception may leave <paramref name="block"/> while <paramref name="state"/> holds.</summary>
    protected void RecordThrowState(BasicBlock block, ImmutableHashSet<T> state) => Merge(_thrown, block.Ordinal, state);

    /// <summary>What may hold after <paramref name="block"/>, once <see cref="Run"/> has finished; null if it is never reached.</summary>
    protected ImmutableHashSet<T>? OutState(BasicBlock block) => _out[block.Ordinal];

    /// <summary>What may hold where the body ends normally, once <see cref="Run"/> has finished; null if it never does.</summary>
    protected ImmutableHashSet<T>? ExitState => _in[_graph.Blocks.Length - 1];

    /// <summary>Refines the state on the edge taken when the block's branch value is <paramref name="branchValue"/>.</summary>
    protected virtual ImmutableHashSet<T> TransferBranch(BasicBlock block, ImmutableHashSet<T> state, bool branchValue) => state;

    /// <summary>What holds where the body starts: nothing, unless the analysis says otherwise.</summary>
    protected virtual ImmutableHashSet<T> EntryState => ImmutableHashSet<T>.Empty;

    /// <summary>Runs the analysis to a fixed point, then, when <paramref name="report"/>, replays every reachable block once with reporting on.</summary>
    public void Run(bool report = true)
    {
        _in[0] = EntryState;
        var work = new SortedSet<int> { 0 };
        do
        {
            while (work.Count > 0)
            {
                var ordinal = work.Min;
                work.Remove(ordinal);
                var block = _graph.Blocks[ordinal];
                var output = TransferBlock(block, _in[ordinal]!, report: false);
                _out[ordinal] = output;
                RecordThrowBranch(block, output);
                foreach (var (branch, state) in Successors(block, output))
                {
                    var after = ThroughFinallies(branch.FinallyRegions, state);
                    if (after is not null && branch.Destination is { } destination && Merge(_in, destination.Ordinal, after))
                    {
                        work.Add(destination.Ordinal);
                    }
                }
            }

            SeedHandlers(_graph.Root, work);
        }
        while (work.Count > 0);

        if (!report)
        {
            return;
        }

        foreach (var block in _graph.Blocks)
        {
            var state = _inFinally[block.Ordinal] ? _finallyIn[block.Ordinal] : _in[block.Ordinal];
            if (state is not null)
            {
                TransferBlock(block, state, report: true);
            }
        }
    }

    private void RecordThrowBranch(BasicBlock block, ImmutableHashSet<T> output)
    {
        if (RecordsThrowStates && block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
        {
            Merge(_thrown, block.Ordinal, output);
        }
    }

    private IEnumerable<(ControlFlowBranch Branch, ImmutableHashSet<T> State)> Successors(BasicBlock block, ImmutableHashSet<T> output)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None)
        {
            if (block.FallThroughSuccessor is { } only)
            {
                yield return (only, output);
            }

            yield break;
        }

        var jumpWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        if (block.ConditionalSuccessor is { } conditional)
        {
            yield return (conditional, TransferBranch(block, output, jumpWhen));
        }

        if (block.FallThroughSuccessor is { } fallThrough)
        {
            yield return (fallThrough, TransferBranch(block, output, !jumpWhen));
        }
    }

    private ImmutableHashSet<T>? ThroughFinallies(ImmutableArray<ControlFlowRegion> finallyRegions, ImmutableHashSet<T> state)
    {
        ImmutableHashSet<T>? current = state;
        foreach (var region in finallyRegions)
        {
            if (current is null)
            {
                break;
            }

            current = RunFinally(region, current);
        }

        return current;
    }

    /// <summary>Runs a finally region as a subroutine; null when it never completes normally.</summary>
    private ImmutableHashSet<T>? RunFinally(ControlFlowRegion region, ImmutableHashSet<T> entry)
    {
        var local = new ImmutableHashSet<T>?[region.LastBlockOrdinal - region.FirstBlockOrdinal + 1];
        local[0] = entry;
        ImmutableHashSet<T>? exit = null;
        var work = new SortedSet<int> { region.FirstBlockOrdinal };
        while (work.Count > 0)
        {
            var ordinal = work.Min;
            work.Remove(ordinal);
            var state = local[ordinal - region.FirstBlockOrdinal]!;
            Merge(_finallyIn, ordinal, state);
            var block = _graph.Blocks[ordinal];
            var output = TransferBlock(block, state, report: false);
            RecordThrowBranch(block, output);
            foreach (var (branch, branchState) in Successors(block, output))
            {
                if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                {
                    exit = exit is null ? branchState : exit.Union(branchState);
                    continue;
                }

                var after = ThroughFinallies(branch.FinallyRegions, branchState);
                if (after is not null && branch.Destination is { } destination
                    && destination.Ordinal >= region.FirstBlockOrdinal && destination.Ordinal <= region.LastBlockOrdinal
                    && Merge(local, destination.Ordinal - region.FirstBlockOrdinal, after))
                {
                    work.Add(destination.Ordinal);
                }
            }
        }

        return exit;
    }

    private void SeedHandlers(ControlFlowRegion region, SortedSet<int> work)
    {
        foreach (var nested in region.NestedRegions)
        {
            SeedHandlers(nested, work);
        }

        if (region.Kind is not (ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally))
        {
            return;
        }

        var tryRegion = region.NestedRegions[0];
        var thrown = ExceptionalState(tryRegion);
        if (thrown is null)
        {
            return;
        }

        for (var i = 1; i < region.NestedRegions.Length; i++)
        {
            var handler = region.NestedRegions[i];
            if (handler.Kind == ControlFlowRegionKind.Finally)
            {
                // Findings only: the exception keeps propagating after the finally region.
                RunFinally(handler, thrown);
            }
            else if (Merge(_in, handler.FirstBlockOrdinal, thrown))
            {
                work.Add(handler.FirstBlockOrdinal);
            }
        }
    }

    /// <summary>What may be held when an exception leaves <paramref name="tryRegion"/>.</summary>
    private ImmutableHashSet<T>? ExceptionalState(ControlFlowRegion tryRegion)
    {
        ImmutableHashSet<T>? result = null;
        for (var ordinal = tryRegion.FirstBlockOrdinal; ordinal <= tryRegion.LastBlockOrdinal; ordinal++)
        {
            var states = RecordsThrowStates ? new[] { _thrown[ordinal] }
                : _inFinally[ordinal] ? new[] { _finallyIn[ordinal] } : new[] { _in[ordinal], _out[ordinal] };
            foreach (var state in states)
            {
                if (state is null)
                {
                    continue;
                }

                var unwound = UnwindTo(_graph.Blocks[ordinal].EnclosingRegion, tryRegion, state);
                if (unwound is not null)
                {
                    result = result is null ? unwound : result.Union(unwound);
                }
            }
        }

        return result;
    }

    /// <summary>Runs the finally regions an exception passes between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private ImmutableHashSet<T>? UnwindTo(ControlFlowRegion from, ControlFlowRegion to, ImmutableHashSet<T> state)
    {
        ImmutableHashSet<T>? current = state;
        for (var region = from; region is not null && region != to && current is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndFinally } tryFinally)
            {
                current = RunFinally(tryFinally.NestedRegions[1], current);
            }
        }

        return current;
    }

    private static bool Merge(ImmutableHashSet<T>?[] states, int index, ImmutableHashSet<T> incoming)
    {
        var existing = states[index];
        if (existing is null)
        {
            states[index] = incoming;
            return true;
        }

        if (incoming.IsSubsetOf(existing))
        {
            return false;
        }

        states[index] = existing.Union(incoming);
        return true;
    }

    private static bool IsInFinally(ControlFlowRegion? region)
    {
        for (; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return true;
            }
        }

        return false;
    }
}
