using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// ACRN006's second look: which tasks may still be running where a blocking call waits for them. A task is known
/// complete after it was awaited, after an awaited <c>Task.WhenAll</c> it took part in (also as an element of an array
/// or list passed to it: <c>tasks[i]</c>, the variable of a <c>foreach</c> over it), when it is the awaited result of
/// <c>Task.WhenAny</c> (or equal to it), and where <c>IsCompleted</c>, <c>IsCompletedSuccessfully</c>,
/// <c>IsFaulted</c>, <c>IsCanceled</c> or a <c>Status</c> of <c>RanToCompletion</c>, <c>Faulted</c> or <c>Canceled</c>
/// was true. Facts are the tasks (and task collections) that may be incomplete, so a join keeps a task that is
/// incomplete on any path.
/// </summary>
internal sealed class IncompleteTaskAnalysis : ForwardFlowAnalysis<string>
{
    // TaskStatus values of a task that has finished.
    private const int FinalStatusRanToCompletion = 5;
    private const int FinalStatusCanceled = 6;
    private const int FinalStatusFaulted = 7;

    private static readonly ImmutableHashSet<string> CompletionProperties = ImmutableHashSet.Create("IsCompleted", "IsCompletedSuccessfully", "IsFaulted", "IsCanceled");

    private readonly OperationKeys _keys;
    private readonly ImmutableHashSet<string> _tracked;
    private readonly Dictionary<IOperation, BlockingCall> _candidates;
    private readonly HashSet<IOperation> _confirmed = new();
    private readonly List<IOperation> _postOrder = new();

    private IncompleteTaskAnalysis(ControlFlowGraph graph, OperationKeys keys, ImmutableHashSet<string> tracked, Dictionary<IOperation, BlockingCall> candidates)
        : base(graph)
    {
        _keys = keys;
        _tracked = tracked;
        _candidates = candidates;
    }

    protected override ImmutableHashSet<string> EntryState => _tracked;

    /// <summary>Removes from <paramref name="candidates"/> the blocking calls on a task that is complete there on every path.</summary>
    public static void Filter(ControlFlowGraph graph, OperationKeys keys, Dictionary<IOperation, BlockingCall> candidates)
    {
        var tracked = candidates.Values.Where(c => c.Task is not null).Select(c => keys.Of(c.Task)).ToImmutableHashSet()
            .Union(WhenAnyResults(graph, keys)).Union(WhenAllCollections(graph, keys));
        var analysis = new IncompleteTaskAnalysis(graph, keys, tracked, candidates);
        analysis.Run();
        foreach (var candidate in candidates.Where(c => c.Value.Task is not null && !analysis._confirmed.Contains(c.Key)).ToList())
        {
            candidates.Remove(candidate.Key);
        }
    }

    protected override ImmutableHashSet<string> TransferBlock(BasicBlock block, ImmutableHashSet<string> state, bool report)
    {
        var incomplete = state.ToBuilder();
        foreach (var operation in BlockOperations.Of(block))
        {
            foreach (var node in BlockOperations.PostOrder(operation, _postOrder))
            {
                if (report && _candidates.TryGetValue(node, out var call) && call.Task is { } task && IsIncomplete(task, incomplete))
                {
                    _confirmed.Add(node);
                }

                Apply(node, incomplete);
            }
        }

        return incomplete.Count == state.Count && state.SetEquals(incomplete) ? state : incomplete.ToImmutable();
    }

    protected override ImmutableHashSet<string> TransferBranch(BasicBlock block, ImmutableHashSet<string> state, bool branchValue)
    {
        if (block.BranchValue is not { } condition)
        {
            return state;
        }

        while (LockApi.Unwrap(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            condition = not.Operand;
            branchValue = !branchValue;
        }

        switch (LockApi.Unwrap(condition))
        {
            case IPropertyReferenceOperation { Instance: { } task } property when branchValue && CompletionProperties.Contains(property.Property.Name):
                return state.Remove(_keys.Of(task));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } status when branchValue && CompletedStatusOf(status) is { } task:
                return state.Remove(_keys.Of(task));
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } equality
                when branchValue == (equality.OperatorKind == BinaryOperatorKind.Equals):
                // `winner == task` where the winner is complete: so is the task.
                if (IsComplete(equality.LeftOperand, state))
                {
                    return state.Remove(_keys.Of(equality.RightOperand));
                }

                return IsComplete(equality.RightOperand, state) ? state.Remove(_keys.Of(equality.LeftOperand)) : state;
            default:
                return state;
        }
    }

    private bool IsComplete(IOperation operation, ImmutableHashSet<string> state)
    {
        var key = _keys.Of(operation);
        return (_tracked.Contains(key) && !state.Contains(key)) || IsAwaitedWhenAny(_keys.CapturedValue(operation));
    }

    private void Apply(IOperation operation, ImmutableHashSet<string>.Builder incomplete)
    {
        switch (operation)
        {
            case IAwaitOperation await when LockApi.Awaited(await) is { } awaited:
                incomplete.Remove(_keys.Of(awaited));
                if (awaited is IInvocationOperation { TargetMethod: { Name: "WhenAll", ContainingType: var type } } whenAll && BlockingCalls.IsTask(type))
                {
                    RemoveTasksIn(whenAll, incomplete);
                }

                break;
            case IInvocationOperation { TargetMethod: { Name: "WaitAll" or "Wait", ContainingType: var waitType } } wait when BlockingCalls.IsTask(waitType):
                // Reported itself where it may block; after it returns, the tasks it waited for are complete.
                if (wait.Instance is { } instance)
                {
                    incomplete.Remove(_keys.Of(instance));
                }

                RemoveTasksIn(wait, incomplete);
                break;
            case ISimpleAssignmentOperation { Target: var target, Value: var value }:
                var key = _keys.Of(target);
                if (_tracked.Contains(key))
                {
                    if (IsAwaitedWhenAny(value) || (CollectionOf(value) is { } collection && IsComplete(collection, incomplete)))
                    {
                        incomplete.Remove(key);
                    }
                    else
                    {
                        incomplete.Add(key);
                    }
                }

                break;
        }
    }

    private void RemoveTasksIn(IInvocationOperation invocation, ImmutableHashSet<string>.Builder incomplete)
    {
        foreach (var argument in invocation.Arguments)
        {
            foreach (var value in argument.Value.DescendantsAndSelf())
            {
                if (value is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                {
                    incomplete.Remove(_keys.Of(value));
                }
            }
        }
    }

    /// <summary>True when <paramref name="task"/> may be incomplete: an element of a tracked collection is as complete as it is.</summary>
    private bool IsIncomplete(IOperation task, ImmutableHashSet<string>.Builder incomplete)
        => CollectionOf(task) is { } collection && _tracked.Contains(_keys.Of(collection))
            ? !IsComplete(collection, incomplete)
            : incomplete.Contains(_keys.Of(task));

    /// <summary>True for a tracked task or collection known to be complete here; an untracked one is never known complete.</summary>
    private bool IsComplete(IOperation operation, ImmutableHashSet<string>.Builder incomplete)
    {
        var key = _keys.Of(operation);
        return _tracked.Contains(key) && !incomplete.Contains(key);
    }

    /// <summary>The array or list an element is read from: <c>tasks[i]</c>, or the <c>Current</c> of a <c>foreach</c> over it.</summary>
    private IOperation? CollectionOf(IOperation element)
    {
        switch (LockApi.Unwrap(element))
        {
            case IArrayElementReferenceOperation array:
                return LockApi.Unwrap(array.ArrayReference);
            case IPropertyReferenceOperation { Arguments.IsEmpty: false, Instance: { } list }:
                return LockApi.Unwrap(list);
            case IPropertyReferenceOperation { Property.Name: "Current", Instance: { } enumerator }
                when LockApi.Unwrap(_keys.CapturedValue(enumerator)) is IInvocationOperation { TargetMethod.Name: "GetEnumerator", Instance: { } source }:
                return LockApi.Unwrap(source);
            default:
                return null;
        }
    }

    /// <summary>The task of <c>task.Status == TaskStatus.RanToCompletion</c> (or Faulted, Canceled): complete when true.</summary>
    private static IOperation? CompletedStatusOf(IBinaryOperation equality)
    {
        foreach (var (status, value) in new[] { (equality.LeftOperand, equality.RightOperand), (equality.RightOperand, equality.LeftOperand) })
        {
            if (LockApi.Unwrap(status) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } task }
                && LockApi.Unwrap(value) is { Type.Name: "TaskStatus", ConstantValue: { HasValue: true, Value: int code } }
                && code is FinalStatusRanToCompletion or FinalStatusCanceled or FinalStatusFaulted)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>The variables and parameters that <c>Task.WhenAll</c> is awaited on: arrays and lists of tasks among them.</summary>
    private static IEnumerable<string> WhenAllCollections(ControlFlowGraph graph, OperationKeys keys)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in BlockOperations.Descendants(block))
            {
                if (operation is IAwaitOperation await
                    && LockApi.Awaited(await) is IInvocationOperation { TargetMethod: { Name: "WhenAll", ContainingType: var type } } whenAll
                    && BlockingCalls.IsTask(type))
                {
                    foreach (var argument in whenAll.Arguments)
                    {
                        if (LockApi.Unwrap(argument.Value) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
                        {
                            yield return keys.Of(argument.Value);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The variables that receive <c>await Task.WhenAny(...)</c>: complete tasks, to compare others with.</summary>
    private static IEnumerable<string> WhenAnyResults(ControlFlowGraph graph, OperationKeys keys)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in BlockOperations.Descendants(block))
            {
                if (operation is ISimpleAssignmentOperation assignment && IsAwaitedWhenAny(assignment.Value))
                {
                    yield return keys.Of(assignment.Target);
                }
            }
        }
    }

    private static bool IsAwaitedWhenAny(IOperation? value)
        => LockApi.Unwrap(value) is IAwaitOperation await
            && LockApi.Awaited(await) is IInvocationOperation { TargetMethod: { Name: "WhenAny", ContainingType: var type } } && BlockingCalls.IsTask(type);
}
