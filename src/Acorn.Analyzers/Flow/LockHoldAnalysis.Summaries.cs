using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Acorn.Analyzers.Flow.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>Applying helpers' summaries at calls, and computing the body's own summary.</summary>
internal sealed partial class LockHoldAnalysis
{
    private readonly Dictionary<IOperation, Acquisition[]> _summaryAcquisitions = new();
    private readonly HashSet<string> _mayRelease = new();

    /// <summary>In summary mode: one fact per lock the body releases, as if the caller held it on entry.</summary>
    private readonly HashSet<Acquisition>? _entry;

    /// <summary>In summary mode: the method being summarized.</summary>
    private readonly IMethodSymbol? _self;

    private MethodSummary? _assumedRecursion;

    protected override ImmutableHashSet<Acquisition> EntryState
        => _entry is null ? ImmutableHashSet<Acquisition>.Empty : ImmutableHashSet.CreateRange(_entry);

    /// <summary>After <see cref="ForwardFlowAnalysis{T}.Run"/> in summary mode: what a call to this body does to locks.</summary>
    public MethodSummary Summarize()
    {
        var mayRelease = _mayRelease.ToImmutableHashSet();
        if (ExitState is not { } exit)
        {
            // Never returns normally: its callers go no further.
            return mayRelease.IsEmpty ? MethodSummary.Empty : new MethodSummary(ImmutableArray<HeldLock>.Empty, ImmutableArray<ReleasedLock>.Empty, mayRelease);
        }

        var released = ImmutableArray.CreateBuilder<ReleasedLock>();
        foreach (var fact in _entry!)
        {
            if (!exit.Contains(fact) && fact.Path is { } path)
            {
                released.Add(new ReleasedLock(fact.Call.Family, path));
            }
        }

        var held = ImmutableArray.CreateBuilder<HeldLock>();
        foreach (var acquisition in exit)
        {
            // An unlowered `lock` statement (see LockApi.GetUnloweredLock) ends with its body, even where the body
            // returns and no later operation is there to end it.
            if (_entry.Contains(acquisition) || acquisition.Scope is not null)
            {
                continue;
            }

            var (returnsGuard, whenTrue) = HowReturned(acquisition);
            if (acquisition.Path is not null || returnsGuard)
            {
                held.Add(new HeldLock(acquisition.Call.Family, acquisition.IsAsync, acquisition.Path, acquisition.DisplayName, returnsGuard, whenTrue));
            }
        }

        return held.Count == 0 && released.Count == 0 && mayRelease.IsEmpty
            ? MethodSummary.Empty
            : new MethodSummary(held.ToImmutable(), released.ToImmutable(), mayRelease);
    }

    /// <summary>
    /// The summary of a call. Where the depth limit is reached, a call of the method being summarized is assumed to
    /// release what the method releases: a recursion that releases on every path then does so at every depth.
    /// </summary>
    private MethodSummary? SummaryOf(IInvocationOperation invocation)
    {
        if (_summaries!.Of(invocation) is { } summary)
        {
            return summary;
        }

        if (_self is null || _entry is null || !_summaries.IsExhausted
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, _self))
        {
            return null;
        }

        return _assumedRecursion ??= new MethodSummary(
            ImmutableArray<HeldLock>.Empty,
            _entry.Where(fact => fact.Path is not null).Select(fact => new ReleasedLock(fact.Call.Family, fact.Path!)).ToImmutableArray(),
            _mayRelease.ToImmutableHashSet());
    }

    /// <summary>
    /// Applies a callee's summary at <paramref name="site"/>: the caller's locks it releases end, the locks it leaves
    /// held start here, mapped from the callee's <c>this</c>, parameters and statics to the caller's expressions.
    /// </summary>
    private void ApplySummary(
        IOperation site, MethodSummary? summary, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        if (summary is null)
        {
            return;
        }

        var result = ResultOf(site);
        foreach (var released in summary.Released)
        {
            if (Map(released.Path, site, instance, arguments, result) is { } mapped)
            {
                Release(released.Family, mapped.Key, held);
            }
        }

        if (summary.Held.IsEmpty)
        {
            return;
        }

        if (!_summaryAcquisitions.TryGetValue(site, out var acquisitions))
        {
            acquisitions = CreateAcquisitions(site, summary, instance, arguments, result);
            _summaryAcquisitions[site] = acquisitions;
        }

        foreach (var acquisition in acquisitions)
        {
            Hold(site, acquisition, held, report);
        }
    }

    private Acquisition[] CreateAcquisitions(IOperation site, MethodSummary summary, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IOperation? result)
    {
        // A constructor that takes a lock its type's Dispose releases makes a guard, like Lock.EnterScope.
        var disposeReleases = site is IObjectCreationOperation creation ? _summaries!.OfDispose(creation.Type)?.MayRelease : null;
        var resolvedResult = _keys.Resolve(result);
        var acquisitions = new List<Acquisition>();
        for (var i = 0; i < summary.Held.Length; i++)
        {
            var lockHeld = summary.Held[i];
            var mapped = Map(lockHeld.Path, site, instance, arguments, result);
            var returnsGuard = lockHeld.ReleasedByReturnedGuard || disposeReleases?.Contains(lockHeld.Family) == true;
            if (mapped is null && !returnsGuard)
            {
                // Neither the caller's expressions nor a guard can release it: no finding could be trusted.
                continue;
            }

            var call = new LockCall(lockHeld.Family, null, lockHeld.IsAsync, returnsGuard, null);
            acquisitions.Add(new Acquisition(
                call,
                ReportLocations.OfAcquisition(site),
                mapped?.Key ?? "U:" + site.Syntax.SpanStart + ":" + i,
                guardKey: returnsGuard ? KeyOf(result) : null,
                conditionKey: lockHeld.HeldWhenTrue ? KeyOf(result) : null,
                orderKey: mapped?.Path?.OrderKey,
                displayName: mapped?.Display ?? lockHeld.Display)
            {
                Site = site,
                ConditionOperation = lockHeld.HeldWhenTrue ? site : null,
                Path = mapped?.Path,
                GuardLocal = returnsGuard ? (resolvedResult as ILocalReferenceOperation)?.Local : null,
            });
        }

        return acquisitions.ToArray();
    }

    /// <summary>The caller's key, path and text for a lock the callee names by <paramref name="path"/>.</summary>
    private (string Key, LockPath? Path, string Display)? Map(
        LockPath? path, IOperation site, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IOperation? result)
    {
        if (path is null)
        {
            return null;
        }

        switch (path.Root)
        {
            case LockPathRoot.Static:
                return (path.KeyUnder(OperationKeys.StaticKey), path, path.DisplayUnder(path.Members[0].ContainingType.Name));
            case LockPathRoot.This when site is IObjectCreationOperation:
                // The created object: only the variable it is stored in names it.
                return result is null ? null : (path.KeyUnder(_keys.Of(result)), null, path.DisplayUnder(result.Syntax.ToString()));
            case LockPathRoot.This when instance is not null:
                return (path.KeyUnder(_keys.Of(instance)), path.Under(LockPath.Of(instance, _keys)), path.DisplayUnder(instance.IsImplicit ? null : instance.Syntax.ToString()));
            case LockPathRoot.Parameter:
                var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == path.Parameter);
                if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit)
                {
                    return null;
                }

                return (path.KeyUnder(_keys.Of(argument.Value)), path.Under(LockPath.Of(argument.Value, _keys)), path.DisplayUnder(argument.Value.Syntax.ToString()));
            default:
                return null;
        }
    }

    /// <summary>In summary mode: the locks the body releases, each as a fact held on entry, and the families it may release.</summary>
    private HashSet<Acquisition> EntryFacts()
    {
        var facts = new HashSet<Acquisition>();
        foreach (var block in Graph.Blocks)
        {
            foreach (var operation in BlockOperations.Descendants(block))
            {
                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                if (LockApi.IsInteresting(invocation) && _api.GetRelease(invocation) is { } release)
                {
                    _mayRelease.Add(release.Family);
                    facts.Add(EntryFact(release.Family, _keys.Of(release.Lock), LockPath.Of(release.Lock, _keys)));
                }
                else if (!invocation.TargetMethod.IsAsync && _summaries?.Of(invocation) is { } summary)
                {
                    _mayRelease.UnionWith(summary.MayRelease);
                    foreach (var released in summary.Released)
                    {
                        if (Map(released.Path, invocation, invocation.Instance, invocation.Arguments, null) is { } mapped)
                        {
                            facts.Add(EntryFact(released.Family, mapped.Key, mapped.Path));
                        }
                    }
                }
            }
        }

        return facts;
    }

    private static Acquisition EntryFact(string family, string key, LockPath? path)
        => new(new LockCall(family, null, false, false, null), Location.None, key, null, null, null) { Path = path };

    /// <summary>
    /// Whether, on every path that returns while <paramref name="acquisition"/> is held, the value returned is its guard
    /// (so disposing it releases the lock), and whether it is the <see langword="true"/> that says it was taken.
    /// </summary>
    private (bool ReturnsGuard, bool WhenTrue) HowReturned(Acquisition acquisition)
    {
        var returnsGuard = true;
        var whenTrue = true;
        var paths = 0;
        foreach (var branch in Graph.Blocks[Graph.Blocks.Length - 1].Predecessors)
        {
            if (OutState(branch.Source) is not { } state || !state.Contains(acquisition))
            {
                continue;
            }

            paths++;
            var returned = branch.Semantics == Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowBranchSemantics.Return ? branch.Source.BranchValue : null;
            returnsGuard &= returned is not null && IsGuardOf(acquisition, returned);
            whenTrue &= returned is not null && IsConditionOf(acquisition, returned);
        }

        return (paths > 0 && returnsGuard, paths > 0 && whenTrue);
    }

    private bool IsGuardOf(Acquisition acquisition, IOperation returned)
    {
        var value = _keys.Resolve(returned);
        if ((acquisition.Call.ReturnsGuard && value == acquisition.Site)
            || (acquisition.GuardKey is { } guard && guard == _keys.Of(returned)))
        {
            return true;
        }

        // A new object whose Dispose releases a lock of this kind: `Monitor.Enter(_gate); return new Releaser(_gate);`.
        if (value is ILocalReferenceOperation local)
        {
            value = LockApi.Unwrap(_keys.ValueOf(local.Local));
        }

        return value is IObjectCreationOperation creation && _summaries?.OfDispose(creation.Type)?.MayRelease.Contains(acquisition.Call.Family) == true;
    }

    private bool IsConditionOf(Acquisition acquisition, IOperation returned)
        => (acquisition.ConditionOperation is { } condition && _keys.Resolve(returned) == condition)
            || (acquisition.ConditionKey is { } flag && flag == _keys.Of(returned));
}
