using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers;

/// <summary>The descriptors of ACRN001-ACRN007, shared by the analyzers, the code fixes and the tests.</summary>
internal static class RuleDescriptors
{
    public static readonly DiagnosticDescriptor SyncLockHeldAcrossAwait = new(
        RuleIdentifiers.SyncLockHeldAcrossAwait,
        title: "Synchronous lock held across await",
        messageFormat: "'{0}' is a thread-affine lock and may still be held at this await; release it first or use an async lock",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A Monitor, Lock, ReaderWriterLockSlim, SpinLock, Mutex or synchronously acquired SemaphoreSlim that is held across an await can be released on another thread, or blocks every other thread for the whole wait.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.SyncLockHeldAcrossAwait));

    public static readonly DiagnosticDescriptor BlockingWaitUnderLock = new(
        RuleIdentifiers.BlockingWaitUnderLock,
        title: "Blocking wait while a lock is held",
        messageFormat: "'{0}' blocks the thread while '{1}' is held",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Blocking on a task, sleeping or waiting synchronously while holding a lock stalls every caller that needs the lock and deadlocks when the awaited work needs it too.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingWaitUnderLock));

    public static readonly DiagnosticDescriptor AsyncLockHeldAcrossAwait = new(
        RuleIdentifiers.AsyncLockHeldAcrossAwait,
        title: "Async lock held across another await",
        messageFormat: "Async lock '{0}' stays held across {1} other await(s); copy what you need and release it first, or justify the hold",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "An async lock held across an unrelated await makes every other caller wait for that I/O too. Allowed only when the await is part of the protected operation; say so in a justified suppression.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.AsyncLockHeldAcrossAwait));

    public static readonly DiagnosticDescriptor InconsistentLockOrder = new(
        RuleIdentifiers.InconsistentLockOrder,
        title: "Inconsistent lock order",
        messageFormat: "'{0}' is acquired while '{1}' is held, but elsewhere '{1}' is acquired while '{0}' is held; pick one lock order",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Two locks taken in opposite orders in two places deadlock when both places run at once.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InconsistentLockOrder),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MustNotHoldAcrossAwait = new(
        RuleIdentifiers.MustNotHoldAcrossAwait,
        title: "Value must not be held across await",
        messageFormat: "'{0}' of type '{1}' must not be held across an await, but it is still used after one",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The type is marked [MustNotHoldAcrossAwait] or listed in acorn_analyzers.must_not_hold_types: a local of that type must be finished with before the next await.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.MustNotHoldAcrossAwait));

    public static readonly DiagnosticDescriptor SyncOverAsync = new(
        RuleIdentifiers.SyncOverAsync,
        title: "Blocking on a task in an async method",
        messageFormat: "'{0}' blocks the thread until the task completes, inside an async method; await it instead",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An async method or lambda that blocks on a Task or ValueTask (.Result, .Wait(), .GetAwaiter().GetResult(), Task.WaitAll/WaitAny) holds a thread for the whole wait and deadlocks under a single-threaded synchronization context; it could simply await.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.SyncOverAsync));

    public static readonly DiagnosticDescriptor UndisposedGuard = new(
        RuleIdentifiers.UndisposedGuard,
        title: "Lock guard discarded or not disposed",
        messageFormat: "The guard of '{0}' is {1}, so the lock stays held; keep it in a 'using' declaration",
        RuleCategories.Concurrency,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A lock guard releases its lock when it is disposed. Discarding it, or keeping it in a local that some path never disposes, leaves the lock held for good: the .NET counterpart of Rust's #[must_use] on guards.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UndisposedGuard));

    private static readonly ConcurrentDictionary<DiagnosticDescriptor, DiagnosticDescriptor> EndTwins = new();

    /// <summary>
    /// The same rule, tagged as reported at compilation end: what the pass over helpers in other files reports with
    /// (the IDE shows those only under full-solution analysis).
    /// </summary>
    public static DiagnosticDescriptor AtCompilationEnd(DiagnosticDescriptor descriptor)
        => descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)
            ? descriptor
            : EndTwins.GetOrAdd(descriptor, static d => new DiagnosticDescriptor(
                d.Id, d.Title, d.MessageFormat, d.Category, d.DefaultSeverity, d.IsEnabledByDefault, d.Description, d.HelpLinkUri,
                d.CustomTags.Append(WellKnownDiagnosticTags.CompilationEnd).ToArray()));
}
