using System;
using System.Collections.Concurrent;
using System.Threading;
using Acorn.Analyzers.Flow;
using Acorn.Analyzers.Flow.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace Acorn.Analyzers.Rules;

/// <summary>The lock analysis of one operation block: its body, and each lambda and local function inside it.</summary>
internal static class BodyAnalysis
{
    public static void Run(
        ControlFlowGraph root,
        ISymbol? owner,
        LockApi api,
        SummaryScope? summaries,
        Func<DiagnosticDescriptor, DiagnosticDescriptor> descriptor,
        Action<Diagnostic> report,
        ConcurrentBag<LockOrderEdge> nested,
        CancellationToken cancellationToken)
    {
        foreach (var (graph, body) in BodyGraphs.Expand(root, owner))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var analysis = new LockHoldAnalysis(graph, body, api, summaries);
            analysis.Run();
            analysis.CollectUndisposedGuards();
            if (analysis.Findings.SyncOverAsync.Count > 0)
            {
                IncompleteTaskAnalysis.Filter(graph, analysis.Keys, analysis.Findings.SyncOverAsync);
            }

            foreach (var diagnostic in HoldDiagnostics.Of(analysis.Findings, body, descriptor))
            {
                report(diagnostic);
            }

            foreach (var edge in analysis.Findings.Nested)
            {
                nested.Add(edge);
            }
        }
    }
}
