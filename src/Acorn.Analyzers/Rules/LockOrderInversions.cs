using System.Collections.Generic;
using System.Linq;
using Acorn.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Acorn.Analyzers.Rules;

/// <summary>ACRN004: finds pairs of locks nested in both orders across the compilation.</summary>
internal static class LockOrderInversions
{
    public static void Report(CompilationAnalysisContext context, IEnumerable<LockOrderEdge> nested)
    {
        var edges = nested.Distinct().ToList();
        var byPair = edges.ToLookup(edge => (edge.Outer, edge.Inner));
        foreach (var edge in edges.OrderBy(e => e.Location.SourceTree?.FilePath).ThenBy(e => e.Location.SourceSpan.Start))
        {
            var reverse = byPair[(edge.Inner, edge.Outer)].ToList();
            if (reverse.Count == 0)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.InconsistentLockOrder,
                edge.Location,
                reverse.Select(other => other.Location),
                edge.InnerDisplay,
                edge.OuterDisplay));
        }
    }
}
