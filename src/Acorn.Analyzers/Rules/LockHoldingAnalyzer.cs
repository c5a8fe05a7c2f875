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
/// the same file apply the helpers' summaries live; helpers in other files are followed at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockHoldingAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> LiveDescriptors = ImmutableArray.Create(
        RuleDescriptors.SyncLockHeldAcrossAwait,
        RuleDescriptors.BlockingWaitUnderLock,
        RuleDescriptors.AsyncLockHeldAcrossAwait,
        RuleDescriptors.SyncOverAsync,
        RuleDescriptors.UndisposedGuard);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = LiveDescriptors
        .AddRange(LiveDescriptors.Select(RuleDescriptors.AtCompilationEnd))
        .Add(RuleDescriptors.InconsistentLockOrder);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var nested = new ConcurrentBag<LockOrderEdge>();
            var options = start.Options;
            LockApi Apis(SyntaxTree tree) => ApiFor(options, tree);
            var summaries = new SummaryProvider(Apis, start.CancellationToken);
            var otherFiles = new CrossFileHelpers();
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, summaries, otherFiles, nested));
            start.RegisterCompilationEndAction(end =>
            {
                otherFiles.AnalyzeAtEnd(end, Apis, nested);
                LockOrderInversions.Report(end, nested);
            });
        });
    }

    private static LockApi ApiFor(AnalyzerOptions options, SyntaxTree tree)
        => new(TypeNameList.Read(options, tree, AnalyzerOptionKeys.AsyncLockTypes));

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, SummaryProvider provider, CrossFileHelpers otherFiles, ConcurrentBag<LockOrderEdge> nested)
    {
        foreach (var root in context.OperationBlocks)
        {
            if (!BodyGraphs.IsExecutableRoot(root))
            {
                continue;
            }

            var api = ApiFor(context.Options, root.Syntax.SyntaxTree);
            var summaries = root.SemanticModel is { } model ? SummaryScope.SameTree(provider, model) : null;
            otherFiles.Record(root, context.OwningSymbol, api, summaries);
            if (!LockApi.MayHaveFindings(root, summaries))
            {
                continue;
            }

            BodyAnalysis.Run(
                context.GetControlFlowGraph(root),
                context.OwningSymbol,
                api,
                summaries,
                descriptor => descriptor,
                diagnostic =>
                {
                    otherFiles.Reported(diagnostic);
                    context.ReportDiagnostic(diagnostic);
                },
                nested,
                context.CancellationToken);
        }
    }
}
