using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Acorn.Analyzers.Flow;
using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Rules;

/// <summary>Turns what one body's analysis found into the diagnostics of ACRN001-ACRN003, ACRN006 and ACRN007.</summary>
internal static class HoldDiagnostics
{
    /// <param name="findings">The body's findings.</param>
    /// <param name="body">Whether the body is async (for the await fixes).</param>
    /// <param name="descriptor">The descriptor to report a rule with: itself, or its compilation-end twin.</param>
    public static IEnumerable<Diagnostic> Of(HoldFindings findings, BodyKind body, Func<DiagnosticDescriptor, DiagnosticDescriptor> descriptor)
    {
        foreach (var pair in findings.SyncHeldAtAwait)
        {
            var held = InOrder(pair.Value);
            yield return Diagnostic.Create(
                descriptor(RuleDescriptors.SyncLockHeldAcrossAwait), pair.Key, held.Select(a => a.Location), held[0].DisplayName);
        }

        foreach (var pair in findings.BlockingUnderLock)
        {
            var (call, heldSet) = pair.Value;
            var held = InOrder(heldSet);
            var properties = AwaitFix(body.IsAsync && held.All(a => a.IsAsync) ? call.AwaitFix : null);
            yield return Diagnostic.Create(
                descriptor(RuleDescriptors.BlockingWaitUnderLock), pair.Key.Syntax.GetLocation(), held.Select(a => a.Location), properties, call.Display, held[0].DisplayName);
        }

        foreach (var pair in findings.AsyncHeldAcrossAwaits)
        {
            var awaits = pair.Value.OrderBy(l => l.SourceSpan.Start).ToList();
            yield return Diagnostic.Create(
                descriptor(RuleDescriptors.AsyncLockHeldAcrossAwait), pair.Key.Location, awaits, pair.Key.DisplayName, awaits.Count);
        }

        foreach (var pair in findings.SyncOverAsync)
        {
            yield return Diagnostic.Create(
                descriptor(RuleDescriptors.SyncOverAsync), pair.Key.Syntax.GetLocation(), AwaitFix(pair.Value.AwaitFix), pair.Value.Display);
        }

        foreach (var acquisition in findings.DiscardedGuards)
        {
            yield return Diagnostic.Create(descriptor(RuleDescriptors.UndisposedGuard), acquisition.Location, acquisition.DisplayName, "discarded");
        }

        foreach (var acquisition in findings.UndisposedGuards)
        {
            yield return Diagnostic.Create(
                descriptor(RuleDescriptors.UndisposedGuard), acquisition.Location, acquisition.DisplayName, "not disposed on every path to the end of the method");
        }
    }

    private static ImmutableDictionary<string, string?> AwaitFix(string? fix)
        => fix is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.AwaitFix, fix);

    private static List<Acquisition> InOrder(IEnumerable<Acquisition> held)
        => held.OrderBy(a => a.Location.SourceSpan.Start).ToList();
}
