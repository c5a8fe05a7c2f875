using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Acorn.Analyzers.Flow.Summaries;
using Acorn.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>Recognises lock acquisitions, releases and blocking calls among invocations.</summary>
internal sealed class LockApi
{
    private static readonly ImmutableHashSet<string> AsyncLockTypeNames = ImmutableHashSet.Create(
        "AsyncMutex", "AsyncRwLock", "AsyncLock", "AsyncReaderWriterLock", "AsyncExclusiveLock", "AsyncSemaphore",
        "AsyncSharedLock", "KeyedAsyncLock", "AsyncKeyedLock", "SemaphoreSlim");

    private static readonly ImmutableHashSet<string> AsyncAcquireNames = ImmutableHashSet.Create(
        "LockAsync", "AcquireAsync", "ReaderLockAsync", "WriterLockAsync", "UpgradeableReaderLockAsync", "EnterAsync",
        "TryLockAsync", "TryAcquireAsync", "ReadLockAsync", "WriteLockAsync", "TryReadLockAsync", "TryWriteLockAsync", "ReadAsync", "WriteAsync",
        "EnterReadLockAsync", "EnterWriteLockAsync", "WaitAsync");

    /// <summary>Synchronous acquisitions that return a guard, whose disposal ACRN007 checks even in a body that never awaits.</summary>
    private static readonly ImmutableHashSet<string> SyncGuardNames = ImmutableHashSet.Create("EnterScope", "TryLock", "TryReadLock", "TryWriteLock");

    /// <summary>Synchronous acquisitions of an async lock that never wait: they return false when the lock is busy.</summary>
    private static readonly ImmutableHashSet<string> SyncTryAcquireNames = ImmutableHashSet.Create("TryLock", "TryReadLock", "TryWriteLock", "TryAcquire");

    private static readonly ImmutableHashSet<string> AsyncReleaseNames = ImmutableHashSet.Create("Release", "Exit", "Unlock");

    /// <summary>Names of every release by the lock itself (not a guard's Dispose).</summary>
    private static readonly ImmutableHashSet<string> ReleaseNames = AsyncReleaseNames.Union(new[] { "ExitReadLock", "ExitWriteLock", "ExitUpgradeableReadLock", "ReleaseMutex" });

    // Nito.AsyncEx's condition variables: WaitAsync gives up the associated lock before it suspends and takes it back
    // before it returns, like Monitor.Wait, so the caller's hold does not span the suspension.
    private static readonly ImmutableHashSet<string> ConditionVariableTypeNames = ImmutableHashSet.Create("AsyncConditionVariable", "AsyncMonitor");

    /// <summary>Names that make a body worth a control-flow graph: every acquisition's method name.</summary>
    private static readonly ImmutableHashSet<string> AcquireNames = AsyncAcquireNames.Union(SyncTryAcquireNames).Union(new[]
    {
        "Enter", "TryEnter", "EnterScope", "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock",
        "TryEnterReadLock", "TryEnterWriteLock", "TryEnterUpgradeableReadLock", "WaitOne", "Wait",
    });

    /// <summary>Every method name the analysis reacts to: any other invocation is skipped without looking at its type.</summary>
    private static readonly ImmutableHashSet<string> InterestingNames = AcquireNames.Union(AsyncReleaseNames).Union(BlockingCalls.Names).Union(new[]
    {
        "ExitReadLock", "ExitWriteLock", "ExitUpgradeableReadLock", "ReleaseMutex", "Dispose", "DisposeAsync",
    });

    // Type names are compared as strings; the namespace's display string is the costly part, so compute it once per type.
    private static readonly ConditionalWeakTable<ITypeSymbol, string> FullNames = new();

    private readonly TypeNameList _configuredAsyncLockTypes;

    public LockApi(TypeNameList configuredAsyncLockTypes) => _configuredAsyncLockTypes = configuredAsyncLockTypes;

    /// <summary>
    /// A cheap filter run before building a control-flow graph: a body can only have findings if it may acquire a lock
    /// (itself, or through a helper whose summary says so) and then also suspends (await, async foreach/using, yield),
    /// blocks, or acquires a second lock; or if it takes a guard it may not dispose (ACRN007); or if it blocks on a task
    /// and awaits (ACRN006). Most bodies fail it on method names alone. Lambdas count with their enclosing body, which
    /// only makes the filter more permissive.
    /// </summary>
    public static bool MayHaveFindings(IOperation body, SummaryScope? summaries)
    {
        var acquisitions = 0;
        var suspends = false;
        var blocks = false;
        var blocksOnTask = false;
        foreach (var operation in body.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILockOperation:
                    acquisitions++;
                    break;
                case IInvocationOperation invocation when AcquireNames.Contains(invocation.TargetMethod.Name):
                    acquisitions++;
                    blocks |= BlockingCalls.Names.Contains(invocation.TargetMethod.Name);
                    if (SyncGuardNames.Contains(invocation.TargetMethod.Name) && !IsUsingResource(invocation))
                    {
                        return true;
                    }

                    break;
                case IInvocationOperation invocation when BlockingCalls.Names.Contains(invocation.TargetMethod.Name):
                    blocks = true;
                    blocksOnTask |= invocation.TargetMethod.Name is "Wait" or "WaitAll" or "WaitAny" or "GetResult";
                    break;
                case IPropertyReferenceOperation { Property.Name: "Result" }:
                    blocks = blocksOnTask = true;
                    break;
                case IAwaitOperation:
                case IReturnOperation { Kind: OperationKind.YieldReturn }:
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                    suspends = true;
                    break;
                case IInvocationOperation invocation when summaries?.Of(invocation) is { } summary:
                    acquisitions++;
                    if (summary.Held.Any(held => held.ReleasedByReturnedGuard) && !IsUsingResource(invocation))
                    {
                        return true;
                    }

                    break;
                case IObjectCreationOperation { Constructor: { } constructor } creation when summaries?.Of(constructor) is { } summary:
                    acquisitions++;
                    if (!summary.Held.IsEmpty && !IsUsingResource(creation))
                    {
                        return true;
                    }

                    break;
            }

            if (acquisitions > 1 || (acquisitions == 1 && (suspends || blocks)) || (blocksOnTask && suspends))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The filter for summaries: a body is worth a summary only if it acquires or releases a lock itself, or calls a
    /// helper that has a summary.
    /// </summary>
    public bool MayTouchLocks(IOperation body, SummaryScope summaries)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation when TouchesLock(invocation) || summaries.Of(invocation) is not null:
                case IAwaitOperation await when TouchesLock(await):
                case IObjectCreationOperation { Constructor: { } constructor } when summaries.Of(constructor) is not null:
                    return true;
            }
        }

        return false;
    }

    /// <summary>True for a call or await that acquires or releases a lock (by name first, then by type).</summary>
    public bool TouchesLock(IOperation operation)
        => operation switch
        {
            IInvocationOperation invocation => (AcquireNames.Contains(invocation.TargetMethod.Name) || ReleaseNames.Contains(invocation.TargetMethod.Name))
                && (GetSyncAcquire(invocation) is not null || GetRelease(invocation) is not null),
            IAwaitOperation await => GetAsyncAcquire(await, static _ => null) is not null,
            _ => false,
        };

    /// <summary>True when the value is the resource of a <c>using</c> statement or declaration, which disposes it.</summary>
    private static bool IsUsingResource(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IUsingOperation or IUsingDeclarationOperation:
                    return true;
                case IConversionOperation or IVariableInitializerOperation or IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>False for invocations that can neither acquire, release nor block: most calls in a body.</summary>
    public static bool IsInteresting(IInvocationOperation invocation) => InterestingNames.Contains(invocation.TargetMethod.Name);

    /// <summary>
    /// An acquisition without an await: the thread-affine ones (Monitor, Lock, ReaderWriterLockSlim, SpinLock, Mutex,
    /// SemaphoreSlim.Wait), and an async lock's synchronous <c>TryLock(out guard)</c> or <c>TryAcquire()</c>.
    /// </summary>
    public LockCall? GetSyncAcquire(IInvocationOperation invocation)
        => GetThreadAffineAcquire(invocation) ?? GetSyncTryAcquire(invocation);

    private LockCall? GetSyncTryAcquire(IInvocationOperation invocation)
    {
        if (!SyncTryAcquireNames.Contains(invocation.TargetMethod.Name) || invocation.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean
            || invocation.Instance?.Type is not { } lockType || !IsAsyncLockType(lockType))
        {
            return null;
        }

        IOperation? guard = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Out } parameter && parameter.Type.SpecialType != SpecialType.System_Boolean)
            {
                guard = argument.Value;
            }
        }

        return new LockCall("async", invocation.Instance, true, guard is not null, null, guard);
    }

    private static LockCall? GetThreadAffineAcquire(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance;
        switch (FullName(method.ContainingType))
        {
            case "System.Threading.Monitor" when method.Name is "Enter" or "TryEnter" && invocation.Arguments.Length > 0:
                return new LockCall("monitor", ArgumentValue(invocation, 0), false, false, TakenFlag(invocation));
            case "System.Threading.Lock" when method.Name is "Enter" or "TryEnter":
                return new LockCall("lock", receiver, false, false, null);
            case "System.Threading.Lock" when method.Name == "EnterScope":
                return new LockCall("lock", receiver, false, true, null);
            case "System.Threading.ReaderWriterLockSlim" when ReaderWriterFamily(method.Name, "Enter") is { } family:
                return new LockCall(family, receiver, false, false, null);
            case "System.Threading.SpinLock" when method.Name is "Enter" or "TryEnter":
                return new LockCall("spin", receiver, false, false, TakenFlag(invocation));
            case "System.Threading.WaitHandle" when method.Name == "WaitOne" && receiver?.Type is { } type && FullName(type) == "System.Threading.Mutex":
                return new LockCall("mutex", receiver, false, false, null);
            case "System.Threading.SemaphoreSlim" when method.Name == "Wait":
                return new LockCall("sem", receiver, false, false, null);
            default:
                return null;
        }
    }

    /// <summary>
    /// A <c>lock</c> statement on <c>System.Threading.Lock</c> that the control-flow graph left unlowered: Roslyn
    /// 5.9 gives an invalid operation in place of <c>EnterScope</c>/<c>Dispose</c> when nullable annotations are on.
    /// </summary>
    public static LockCall? GetUnloweredLock(IOperation operation)
        => operation is IInvalidOperation && operation.Syntax.Parent is LockStatementSyntax statement && statement.Expression == operation.Syntax
            ? new LockCall("lock", Unwrap(operation.ChildOperations.FirstOrDefault()), false, false, null)
            : null;

    /// <summary>
    /// The acquisition an await completes: <c>await sem.WaitAsync()</c>, <c>await mutex.LockAsync()</c>, ..., also
    /// when the pending acquisition was kept in a local first (<paramref name="valueOf"/> gives a local's only value).
    /// </summary>
    public LockCall? GetAsyncAcquire(IAwaitOperation await, System.Func<ILocalSymbol, IOperation?> valueOf)
    {
        var awaited = Awaited(await);
        if (awaited is ILocalReferenceOperation pending)
        {
            awaited = Unwrap(valueOf(pending.Local));
        }

        // A condition wait re-takes a lock the caller already holds; counting it as a second acquisition would leave a
        // hold behind that nothing releases when AsyncMonitor is configured as a lock type.
        if (awaited is not IInvocationOperation invocation || !AsyncAcquireNames.Contains(invocation.TargetMethod.Name)
            || invocation.Instance?.Type is not { } lockType || !IsAsyncLockType(lockType) || IsConditionWait(invocation))
        {
            return null;
        }

        var result = await.Type;
        var returnsGuard = result is not null && result.SpecialType is not (SpecialType.System_Void or SpecialType.System_Boolean);
        var family = FullName(lockType) == "System.Threading.SemaphoreSlim" ? "sem" : "async";
        return new LockCall(family, invocation.Instance, true, returnsGuard, null);
    }

    /// <summary>
    /// <c>await cv.WaitAsync()</c> on an <c>AsyncConditionVariable</c> or <c>AsyncMonitor</c> (any namespace): the wait
    /// releases its async lock while it is suspended, so it is no await point for an async lock's hold (ACRN003). Which
    /// lock it is bound to is not known here; in practice it is the one held around the wait. A thread-affine lock is
    /// not released by it, so ACRN001 still counts it.
    /// </summary>
    public static bool IsConditionWait(IAwaitOperation await)
        => Awaited(await) is IInvocationOperation invocation && IsConditionWait(invocation);

    private static bool IsConditionWait(IInvocationOperation invocation)
        => invocation.TargetMethod.Name == "WaitAsync" && invocation.Instance?.Type is { } type
            && ConditionVariableTypeNames.Contains(type.OriginalDefinition.Name);

    /// <summary>What an await waits for, looking through conversions and <c>ConfigureAwait</c>.</summary>
    public static IOperation? Awaited(IAwaitOperation await)
    {
        var awaited = Unwrap(await.Operation);
        return awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } ? Unwrap(configured) : awaited;
    }

    /// <summary>A release by the lock itself (not by a guard): Monitor.Exit, ExitReadLock, Release, ... .</summary>
    public LockCall? GetRelease(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance;
        switch (FullName(method.ContainingType))
        {
            case "System.Threading.Monitor" when method.Name == "Exit" && invocation.Arguments.Length == 1:
                return new LockCall("monitor", ArgumentValue(invocation, 0), false, false, null);
            case "System.Threading.Lock" when method.Name == "Exit":
                return new LockCall("lock", receiver, false, false, null);
            case "System.Threading.ReaderWriterLockSlim" when ReaderWriterFamily(method.Name, "Exit") is { } family:
                return new LockCall(family, receiver, false, false, null);
            case "System.Threading.SpinLock" when method.Name == "Exit":
                return new LockCall("spin", receiver, false, false, null);
            case "System.Threading.Mutex" when method.Name == "ReleaseMutex":
                return new LockCall("mutex", receiver, false, false, null);
            case "System.Threading.SemaphoreSlim" when method.Name == "Release":
                return new LockCall("sem", receiver, false, false, null);
        }

        return receiver?.Type is { } type && AsyncReleaseNames.Contains(method.Name) && IsAsyncLockType(type)
            ? new LockCall("async", receiver, true, false, null)
            : null;
    }

    /// <summary>True for <c>Dispose</c>/<c>DisposeAsync</c>, which release a guard when called on one.</summary>
    public static bool IsGuardRelease(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Dispose" or "DisposeAsync" && invocation.Instance is not null;

    /// <summary>Strips implicit and explicit conversions.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private bool IsAsyncLockType(ITypeSymbol type)
        => AsyncLockTypeNames.Contains(type.OriginalDefinition.Name) || _configuredAsyncLockTypes.Contains(type);

    private static string? ReaderWriterFamily(string name, string verb)
    {
        if (name.StartsWith("Try", System.StringComparison.Ordinal))
        {
            name = name.Substring(3);
        }

        return name switch
        {
            _ when name == verb + "ReadLock" => "rw-read",
            _ when name == verb + "WriteLock" => "rw-write",
            _ when name == verb + "UpgradeableReadLock" => "rw-upgrade",
            _ => null,
        };
    }

    private static IOperation? ArgumentValue(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static IOperation? TakenFlag(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref, Type.SpecialType: SpecialType.System_Boolean })
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The namespace-qualified name of a type's definition, without type arguments.</summary>
    public static string FullName(ITypeSymbol type)
        => FullNames.GetValue(type.OriginalDefinition, static definition =>
            definition.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + definition.Name : definition.Name);
}
