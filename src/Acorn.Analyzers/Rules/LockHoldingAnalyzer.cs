using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Acorn.Analyzers.Flow;
using Acorn.Analyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Rules;

/// <summary>
/// Reports locks held across awaits (ACRN001, ACRN003), blocking waits under locks (ACRN002) and inconsistent lock
/// order (ACRN004), from one may-hold data-flow analysis per body over Roslyn's control-flow graph.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockHoldingAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RuleDescriptors.SyncLockHeldAcrossAwait,
        RuleDescriptors.BlockingWaitUnderLock,
        RuleDescriptors.AsyncLockHeldAcrossAwait,
        RuleDescriptors.InconsistentLockOrder);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var nested = new ConcurrentBag<LockOrderEdge>();
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, nested));
            start.RegisterCompilationEndAction(end => LockOrderInversions.Report(end, nested));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, ConcurrentBag<LockOrderEdge> nested)
    {
        LockApi? api = null;
        foreach (var root in context.OperationBlocks)
        {
            if (!BodyGraphs.IsExecutableRoot(root) || !LockApi.MayHaveFindings(root))
            {
                continue;
            }

            api ??= new LockApi(TypeNameList.Read(context.Options, root.Syntax.SyntaxTree, AnalyzerOptionKeys.AsyncLockTypes));
            foreach (var (graph, body) in BodyGraphs.Expand(context.GetControlFlowGraph(root), context.OwningSymbol))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var analysis = new LockHoldAnalysis(graph, body, api);
                analysis.Run();
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
            var properties = body.IsAsync && call.AwaitFix is { } fix && held.All(a => a.IsAsync)
                ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.AwaitFix, fix)
                : ImmutableDictionary<string, string?>.Empty;
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.BlockingWaitUnderLock, pair.Key.Syntax.GetLocation(), held.Select(a => a.Location), properties, call.Display, held[0].DisplayName));
        }

        foreach (var pair in findings.AsyncHeldAcrossAwaits)
        {
            var awaits = pair.Value.OrderBy(l => l.SourceSpan.Start).ToList();
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.AsyncLockHeldAcrossAwait, pair.Key.Location, awaits, pair.Key.DisplayName, awaits.Count));
        }

        foreach (var edge in findings.Nested)
        {
            nested.Add(edge);
        }
    }

    private static List<Acquisition> InOrder(IEnumerable<Acquisition> held)
        => held.OrderBy(a => a.Location.SourceSpan.Start).ToList();
}
