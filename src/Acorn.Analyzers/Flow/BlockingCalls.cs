using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>Recognises the calls that block the calling thread until something else happens.</summary>
internal static class BlockingCalls
{
    /// <summary>Method names of every blocking call, for the pre-filter (the type is checked only on a match).</summary>
    public static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        "Wait", "WaitAll", "WaitAny", "WaitOne", "SignalAndWait", "Sleep", "Join", "GetResult", "Take", "TryTake", "SpinUntil");

    public static BlockingCall? Of(IOperation operation)
    {
        if (operation is IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property && IsTask(property.Property.ContainingType))
        {
            return new BlockingCall(".Result", DiagnosticProperties.ResultToAwait, OnTask: true, Task: instance);
        }

        if (operation is not IInvocationOperation invocation || !Names.Contains(invocation.TargetMethod.Name) || HasZeroTimeout(invocation))
        {
            return null;
        }

        var method = invocation.TargetMethod;
        var name = method.Name;
        switch (LockApi.FullName(method.ContainingType))
        {
            case "System.Threading.Tasks.Task" when name == "Wait":
                return new BlockingCall("Task.Wait()", method.Parameters.IsEmpty ? DiagnosticProperties.WaitToAwait : null, OnTask: true, Task: invocation.Instance);
            case "System.Threading.Tasks.Task" when name is "WaitAll" or "WaitAny":
                // Only WaitAll(tasks) without a timeout or token returns nothing, like the await of WhenAll(tasks).
                var whenAll = name == "WaitAll" && method.Parameters.Length == 1 ? DiagnosticProperties.WaitAllToWhenAll : null;
                return new BlockingCall("Task." + name + "()", whenAll, OnTask: true);
            case "System.Threading.Thread" when name == "Sleep":
                return new BlockingCall("Thread.Sleep()", DiagnosticProperties.SleepToDelay);
            case "System.Threading.Thread" when name == "Join":
            case "System.Threading.SemaphoreSlim" when name == "Wait":
            case "System.Threading.ManualResetEventSlim" when name == "Wait":
            case "System.Threading.CountdownEvent" when name == "Wait":
            case "System.Threading.Barrier" when name == "SignalAndWait":
            case "System.Threading.SpinWait" when name == "SpinUntil":
            case "System.Threading.WaitHandle" when name is "WaitOne" or "WaitAll" or "WaitAny" or "SignalAndWait":
            case "System.Collections.Concurrent.BlockingCollection" when name == "Take" || (name == "TryTake" && TimeoutOf(invocation) is not null):
                return new BlockingCall(method.ContainingType.Name + "." + name + "()", null);
        }

        if (name == "GetResult" && method.ContainingType.Name.EndsWith("Awaiter", StringComparison.Ordinal)
            && LockApi.FullName(method.ContainingType).StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal))
        {
            var task = TaskOfAwaiter(invocation.Instance);
            return new BlockingCall("GetAwaiter().GetResult()", task.Direct ? DiagnosticProperties.GetResultToAwait : null, OnTask: task.Operation is not null, Task: task.Operation);
        }

        return null;
    }

    /// <summary>True for a Task or ValueTask, generic or not.</summary>
    public static bool IsTask(INamedTypeSymbol type)
        => LockApi.FullName(type) is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask";

    /// <summary>
    /// The task behind <c>t.GetAwaiter()</c> or <c>t.ConfigureAwait(b).GetAwaiter()</c>; <c>Direct</c> when there is no
    /// <c>ConfigureAwait</c>, so that <c>await t</c> replaces the whole call.
    /// </summary>
    private static (IOperation? Operation, bool Direct) TaskOfAwaiter(IOperation? awaiter)
    {
        if (LockApi.Unwrap(awaiter) is not IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } source })
        {
            return (null, false);
        }

        if (source.Type is INamedTypeSymbol sourceType && IsTask(sourceType))
        {
            return (source, true);
        }

        return LockApi.Unwrap(source) is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { Type: INamedTypeSymbol configured } task } && IsTask(configured)
            ? (task, false)
            : (null, false);
    }

    /// <summary>A wait given a timeout of zero only polls: <c>Wait(0)</c>, <c>WaitOne(TimeSpan.Zero)</c>, <c>TryTake(out x, 0)</c>.</summary>
    private static bool HasZeroTimeout(IInvocationOperation invocation)
        => TimeoutOf(invocation) is { } timeout
            && (timeout.ConstantValue is { HasValue: true, Value: 0 or 0u or 0L }
                || LockApi.Unwrap(timeout) is IFieldReferenceOperation { Field: { Name: "Zero", ContainingType.Name: "TimeSpan" } });

    private static IOperation? TimeoutOf(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "millisecondsTimeout" or "timeout" } parameter
                && (parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 || parameter.Type.Name == "TimeSpan"))
            {
                return argument.Value;
            }
        }

        return null;
    }
}
