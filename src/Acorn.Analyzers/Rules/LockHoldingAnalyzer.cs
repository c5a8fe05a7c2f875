using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Acorn.Analyzers.Flow;
using Acorn.Analyzers.Flow.Summaries;
using Acorn.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Rules;

/// <summary>
/// Reports locks held across awaits (ACRN001, ACRN003), blocking waits under locks (ACRN002), inconsistent lock order
/// (ACRN004), blocking on tasks in async code with no lock held (ACRN006) and guards that are never disposed (ACRN007),
/// from one may-hold data-flow analysis per body over Roslyn's control-flow graph. Calls to helper methods declared in
/// the same file apply the helpers' summaries.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockHoldingAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleDescriptors.SyncLockHeldAcrossAwait,
        RuleDescriptors.BlockingWaitUnderLock,
        RuleDescriptors.AsyncLockHeldAcrossAwait,
        RuleDescriptors.InconsistentLockOrder,
        RuleDescriptors.SyncOverAsync,
        RuleDescriptors.UndisposedGuard);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var nested = new ConcurrentBag<LockOrderEdge>();
            var options = start.Options;
            var summaries = new SummaryProvider(tree => ApiFor(options, tree), start.CancellationToken);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, summaries, nested));
            start.RegisterCompilationEndAction(end => LockOrderInversions.Report(end, nested));
        });
    }

    private static LockApi ApiFor(AnalyzerOptions options, SyntaxTree tree)
        => new(TypeNameList.Read(options, tree, AnalyzerOptionKeys.AsyncLockTypes));

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, SummaryProvider provider, ConcurrentBag<LockOrderEdge> nested)
    {
        LockApi? api = null;
        foreach (var root in context.OperationBlocks)
        {
            if (!BodyGraphs.IsExecutableRoot(root))
            {
                continue;
            }

            var summaries = root.SemanticModel is { } model ? SummaryScope.SameTree(provider, model) : null;
            if (!LockApi.MayHaveFindings(root, summaries))
            {
                continue;
            }

            api ??= ApiFor(context.Options, root.Syntax.SyntaxTree);
            foreach (var (graph, body) in BodyGraphs.Expand(context.GetControlFlowGraph(root), context.OwningSymbol))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var analysis = new LockHoldAnalysis(graph, body, api, summaries);
                analysis.Run();
                analysis.CollectUndisposedGuards();
                if (analysis.Findings.SyncOverAsync.Count > 0)
                {
                    IncompleteTaskAnalysis.Filter(graph, analysis.Keys, analysis.Findings.SyncOverAsync);
                }

                Report(context, analysis.Findings, body, nested);
            }
        }
    }

    private static void Report(OperationBlockAnalysisContext context, HoldFindings findings, BodyKind body, ConcurrentBag<LockOrderEdge> nested)
    {
        foreach (var pair in findings.SyncHeldAtAwait)
        {
            var held = InOrder(pair.Value);
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.SyncLockHeldAcrossAwait, pair.Key, held.Select(a => a.Location), held[0].DisplayName));
        }

        foreach (var pair in findings.BlockingUnderLock)
        {
            var (call, heldSet) = pair.Value;
            var held = InOrder(heldSet);
            var properties = AwaitFix(body.IsAsync && held.All(a => a.IsAsync) ? call.AwaitFix : null);
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.BlockingWaitUnderLock, pair.Key.Syntax.GetLocation(), held.Select(a => a.Location), properties, call.Display, held[0].DisplayName));
        }

        foreach (var pair in findings.AsyncHeldAcrossAwaits)
        {
            var awaits = pair.Value.OrderBy(l => l.SourceSpan.Start).ToList();
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.AsyncLockHeldAcrossAwait, pair.Key.Location, awaits, pair.Key.DisplayName, awaits.Count));
        }

        foreach (var pair in findings.SyncOverAsync)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.SyncOverAsync, pair.Key.Syntax.GetLocation(), AwaitFix(pair.Value.AwaitFix), pair.Value.Display));
        }

        foreach (var acquisition in findings.DiscardedGuards)
        {
            context.ReportDiagnostic(Diagnostic.Create(RuleDescriptors.UndisposedGuard, acquisition.Location, acquisition.DisplayName, "discarded"));
        }

        foreach (var acquisition in findings.UndisposedGuards)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.UndisposedGuard, acquisition.Location, acquisition.DisplayName, "not disposed on every path to the end of the method"));
        }

        foreach (var edge in findings.Nested)
        {
            nested.Add(edge);
        }
    }

    private static ImmutableDictionary<string, string?> AwaitFix(string? fix)
        => fix is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.AwaitFix, fix);

    private static List<Acquisition> InOrder(IEnumerable<Acquisition> held)
        => held.OrderBy(a => a.Location.SourceSpan.Start).ToList();
}
