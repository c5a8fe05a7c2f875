using System.Collections.Generic;
using System.Collections.Immutable;
using Acorn.Analyzers.Flow.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// Which locks may be held at each point of one body, and what happens while they are: awaits (ACRN001, ACRN003),
/// blocking calls (ACRN002, and ACRN006 where none is held), nested acquisitions (ACRN004) and guards that are never
/// disposed (ACRN007). Calls to helper methods apply the helpers' summaries; run in summary mode, the analysis
/// computes the summary of its own body instead.
/// </summary>
internal sealed partial class LockHoldAnalysis : ForwardFlowAnalysis<Acquisition>
{
    private readonly LockApi _api;
    private readonly BodyKind _body;
    private readonly OperationKeys _keys;
    private readonly SummaryScope? _summaries;
    private readonly Dictionary<IOperation, Acquisition> _acquisitions = new();
    private readonly List<IOperation> _postOrder = new();
    private bool _sawUnloweredLock;

    /// <param name="graph">The body's control-flow graph.</param>
    /// <param name="body">Whether the body is async.</param>
    /// <param name="api">Recognises the lock calls, as configured for the body's file.</param>
    /// <param name="summaries">The helper summaries calls may use, or null to treat every call as opaque.</param>
    /// <param name="summarizing">The method whose body this is, to compute its summary (<see cref="Summarize"/>) rather than findings.</param>
    public LockHoldAnalysis(ControlFlowGraph graph, BodyKind body, LockApi api, SummaryScope? summaries = null, IMethodSymbol? summarizing = null)
        : base(graph)
    {
        _api = api;
        _body = body;
        _summaries = summaries;
        _keys = new OperationKeys(graph);
        if (summarizing is not null)
        {
            _self = summarizing;
            _entry = EntryFacts();
        }
    }

    public HoldFindings Findings { get; } = new();

    /// <summary>The identities this analysis gives the graph's expressions, shared with the analyses run after it.</summary>
    public OperationKeys Keys => _keys;

    protected override ImmutableHashSet<Acquisition> TransferBlock(BasicBlock block, ImmutableHashSet<Acquisition> state, bool report)
    {
        var held = state.ToBuilder();
        foreach (var operation in BlockOperations.Of(block))
        {
            if (_sawUnloweredLock)
            {
                LeaveUnloweredLocks(held, operation.Syntax.Span);
            }

            foreach (var node in BlockOperations.PostOrder(operation, _postOrder))
            {
                // An acquisition that throws took nothing, and a release that throws (not the owner) held nothing.
                var before = !report && held.Count > 0 && MayThrow(node) ? held.ToImmutable() : null;
                Apply(node, held, report);
                if (before is not null)
                {
                    RecordThrowState(block, held.Count < before.Count ? held.ToImmutable() : before);
                }
            }
        }

        return held.Count == state.Count && state.SetEquals(held) ? state : held.ToImmutable();
    }

    protected override bool RecordsThrowStates => true;

    /// <summary>False for the operations that cannot throw: reading variables and constants, captures, plain assignments.</summary>
    private static bool MayThrow(IOperation operation)
        => operation switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or ILiteralOperation
                or IFlowCaptureOperation or IFlowCaptureReferenceOperation or IExpressionStatementOperation or IDefaultValueOperation
                or IIsNullOperation or ITypeOfOperation or INameOfOperation or IArgumentOperation or IParenthesizedOperation => false,
            IConversionOperation conversion => !conversion.IsImplicit,
            IFieldReferenceOperation field => field.Instance is not (null or IInstanceReferenceOperation),
            ISimpleAssignmentOperation assignment => assignment.Target is not (ILocalReferenceOperation or IFlowCaptureReferenceOperation),
            _ => true,
        };

    protected override ImmutableHashSet<Acquisition> TransferBranch(BasicBlock block, ImmutableHashSet<Acquisition> state, bool branchValue)
    {
        if (state.IsEmpty || block.BranchValue is not { } condition)
        {
            return state;
        }

        var value = branchValue;
        while (true)
        {
            condition = LockApi.Unwrap(condition)!;
            if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                condition = not.Operand;
                value = !value;
                continue;
            }

            break;
        }

        if (NullTest(condition, out var tested, out var whenNull))
        {
            // A null guard never held the lock: `using` tests its resource before disposing it, and a Try*LockAsync
            // that timed out returns null.
            var guard = _keys.Of(tested);
            return value == whenNull ? Without(state, acquisition => acquisition.GuardKey == guard) : state;
        }

        if (value)
        {
            return state;
        }

        // A Try* acquisition that returned false, directly or through the variable that keeps its result.
        var flag = condition is ILocalReferenceOperation or IFlowCaptureReferenceOperation ? _keys.Of(condition) : null;
        return Without(state, acquisition => acquisition.ConditionOperation == condition || (flag is not null && acquisition.ConditionKey == flag));
    }

    /// <summary>Recognises <c>x is null</c>, <c>x is not null</c>, <c>x == null</c>, <c>x != null</c> and the compiler's null test.</summary>
    private static bool NullTest(IOperation condition, out IOperation? tested, out bool whenNull)
    {
        switch (condition)
        {
            case IIsNullOperation isNull:
                (tested, whenNull) = (isNull.Operand, true);
                return true;
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when IsNullLiteral(constant.Value):
                (tested, whenNull) = (pattern.Value, true);
                return true;
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when IsNullLiteral(constant.Value):
                (tested, whenNull) = (pattern.Value, false);
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when IsNullLiteral(binary.RightOperand) || IsNullLiteral(binary.LeftOperand):
                tested = IsNullLiteral(binary.RightOperand) ? binary.LeftOperand : binary.RightOperand;
                whenNull = binary.OperatorKind == BinaryOperatorKind.Equals;
                return true;
            default:
                (tested, whenNull) = (null, false);
                return false;
        }
    }

    private static bool IsNullLiteral(IOperation operation)
        => LockApi.Unwrap(operation) is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };

    private void Apply(IOperation operation, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        switch (operation)
        {
            case IInvocationOperation invocation when LockApi.IsInteresting(invocation):
                OnInvocation(invocation, held, report);
                break;
            case IInvocationOperation invocation when _summaries is not null && !invocation.TargetMethod.IsAsync:
                ApplySummary(invocation, SummaryOf(invocation), invocation.Instance, invocation.Arguments, held, report);
                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation when _summaries is not null:
                ApplySummary(creation, _summaries.Of(constructor), null, creation.Arguments, held, report);
                break;
            case IPropertyReferenceOperation:
                OnBlocking(operation, held, report);
                break;
            case IAwaitOperation await:
                OnAwait(await, held, report);
                break;
            case IInvalidOperation when LockApi.GetUnloweredLock(operation) is { } unlowered:
                _sawUnloweredLock = true;
                Acquire(operation, unlowered, held, report, ((LockStatementSyntax)operation.Syntax.Parent!).Statement.Span);
                break;
            case IReturnOperation { Kind: OperationKind.YieldReturn } when _body.IsAsyncIterator && report:
                OnSuspension(operation.Syntax.GetLocation(), held);
                break;
        }
    }

    private void OnInvocation(IInvocationOperation invocation, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        OnBlocking(invocation, held, report);

        if (_api.GetSyncAcquire(invocation) is { } acquire)
        {
            Acquire(invocation, acquire, held, report);
            return;
        }

        if (_api.GetRelease(invocation) is { } release)
        {
            Release(release.Family, _keys.Of(release.Lock), held);
            return;
        }

        if (LockApi.IsGuardRelease(invocation) && held.Count > 0)
        {
            var guard = _keys.Of(invocation.Instance);
            RemoveWhere(held, acquisition => acquisition.GuardKey == guard);
        }

        if (_summaries is not null && !invocation.TargetMethod.IsAsync)
        {
            ApplySummary(invocation, SummaryOf(invocation), invocation.Instance, invocation.Arguments, held, report);
        }
    }

    private static void Release(string family, string key, ImmutableHashSet<Acquisition>.Builder held)
    {
        if (held.Count > 0)
        {
            RemoveWhere(held, acquisition => acquisition.Call.Family == family && acquisition.LockKey == key);
        }
    }

    private void OnBlocking(IOperation operation, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        if (!report || BlockingCalls.Of(operation) is not { } blocking)
        {
            return;
        }

        if (held.Count == 0)
        {
            if (_body.IsAsync && blocking.OnTask)
            {
                Findings.SyncOverAsync[operation] = blocking;
            }

            return;
        }

        if (!Findings.BlockingUnderLock.TryGetValue(operation, out var entry))
        {
            entry = (blocking, new HashSet<Acquisition>());
            Findings.BlockingUnderLock[operation] = entry;
        }

        entry.Held.UnionWith(held);
    }

    private void OnAwait(IAwaitOperation await, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        if (report && held.Count > 0)
        {
            var point = ReportLocations.OfAwait(await);
            OnSuspension(point, held);
            if (!LockApi.IsConditionWait(await))
            {
                foreach (var acquisition in held)
                {
                    if (acquisition.IsAsync)
                    {
                        HoldFindings.Add(Findings.AsyncHeldAcrossAwaits, acquisition, point);
                    }
                }
            }
        }

        if (_api.GetAsyncAcquire(await, _keys.ValueOf) is { } acquire)
        {
            Acquire(await, acquire, held, report);
        }
        else if (_summaries is not null && AwaitedAsyncCall(await) is { } call)
        {
            // An async helper's locks are taken somewhere during the await, and still held when it completes.
            ApplySummary(await, _summaries.Of(call), call.Instance, call.Arguments, held, report);
        }
    }

    /// <summary>The call of an async method that an await waits for, directly or through a local kept once.</summary>
    private IInvocationOperation? AwaitedAsyncCall(IAwaitOperation await)
    {
        var awaited = LockApi.Awaited(await);
        if (awaited is ILocalReferenceOperation local)
        {
            awaited = LockApi.Unwrap(_keys.ValueOf(local.Local));
        }

        return awaited is IInvocationOperation { TargetMethod.IsAsync: true } call ? call : null;
    }

    private void OnSuspension(Location point, ImmutableHashSet<Acquisition>.Builder held)
    {
        foreach (var acquisition in held)
        {
            if (!acquisition.IsAsync)
            {
                HoldFindings.Add(Findings.SyncHeldAtAwait, point, acquisition);
            }
        }
    }

    private void Acquire(IOperation operation, LockCall call, ImmutableHashSet<Acquisition>.Builder held, bool report, TextSpan? scope = null)
    {
        if (!_acquisitions.TryGetValue(operation, out var acquisition))
        {
            var result = ResultOf(operation);
            var guard = call.ReturnsGuard ? call.GuardOut ?? result : null;
            var resolvedGuard = _keys.Resolve(guard);
            acquisition = new Acquisition(
                call,
                ReportLocations.OfAcquisition(operation),
                _keys.Of(call.Lock),
                guardKey: guard is null ? null : _keys.Of(guard),
                conditionKey: call.TakenFlag is { } flag ? _keys.Of(flag) : KeyOf(result),
                orderKey: _keys.OrderOf(call.Lock),
                scope)
            {
                Site = operation,
                ConditionOperation = operation,
                Path = LockPath.Of(call.Lock, _keys),
                GuardLocal = (resolvedGuard as ILocalReferenceOperation)?.Local,
            };
            _acquisitions[operation] = acquisition;
        }

        Hold(operation, acquisition, held, report);
    }

    /// <summary>Adds an acquisition to the held set, noting the lock-order edges (ACRN004) and discarded guards (ACRN007).</summary>
    private void Hold(IOperation operation, Acquisition acquisition, ImmutableHashSet<Acquisition>.Builder held, bool report)
    {
        if (report && acquisition.OrderKey is { } inner)
        {
            foreach (var outer in held)
            {
                if (outer.OrderKey is { } outerKey && outerKey != inner)
                {
                    Findings.Nested.Add(new LockOrderEdge(outerKey, outer.DisplayName, inner, acquisition.DisplayName, acquisition.Location));
                }
            }
        }

        if (report && acquisition.Call.ReturnsGuard && IsDiscarded(operation, acquisition))
        {
            Findings.DiscardedGuards.Add(acquisition);
        }

        held.Add(acquisition);
    }

    /// <summary>The variable or compiler capture that receives an operation's result, if any.</summary>
    private static IOperation? ResultOf(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            operation = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IFlowCaptureOperation capture => capture,
            ISimpleAssignmentOperation assignment when assignment.Value == operation && assignment.Target is ILocalReferenceOperation or IFlowCaptureReferenceOperation
                => assignment.Target,
            _ => null,
        };
    }

    private string? KeyOf(IOperation? operation) => operation is null ? null : _keys.Of(operation);

    /// <summary>Ends the holds of unlowered <c>lock</c> statements whose body does not contain <paramref name="span"/>.</summary>
    private static void LeaveUnloweredLocks(ImmutableHashSet<Acquisition>.Builder held, TextSpan span)
        => RemoveWhere(held, acquisition => acquisition.Scope is { } scope && !scope.Contains(span));

    private static ImmutableHashSet<Acquisition> Without(ImmutableHashSet<Acquisition> state, System.Func<Acquisition, bool> predicate)
    {
        var held = state.ToBuilder();
        RemoveWhere(held, predicate);
        return held.Count == state.Count ? state : held.ToImmutable();
    }

    private static void RemoveWhere(ImmutableHashSet<Acquisition>.Builder held, System.Func<Acquisition, bool> predicate)
    {
        List<Acquisition>? removed = null;
        foreach (var acquisition in held)
        {
            if (predicate(acquisition))
            {
                (removed ??= new List<Acquisition>()).Add(acquisition);
            }
        }

        if (removed is not null)
        {
            held.ExceptWith(removed);
        }
    }
}
