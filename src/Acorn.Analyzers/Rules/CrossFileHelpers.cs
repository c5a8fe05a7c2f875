using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Acorn.Analyzers.Flow;
using Acorn.Analyzers.Flow.Summaries;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Acorn.Analyzers.Rules;

/// <summary>
/// Helper methods declared in other files, followed at compilation end (so in builds, and in the IDE only under
/// full-solution analysis). While the bodies are analysed live, this records what each one calls and whether it
/// touches a lock API; at the end, the bodies that call a helper in another file that may take or release a lock
/// (three calls deep) are analysed again with every file's helpers, and what that finds beyond the live diagnostics is
/// reported. In code without such helpers nothing is analysed twice.
/// </summary>
internal sealed class CrossFileHelpers
{
    private readonly ConcurrentDictionary<IMethodSymbol, BodyFacts> _facts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentBag<(SyntaxNode Root, ISymbol Owner, BodyFacts Facts)> _candidates = new();
    private readonly ConcurrentDictionary<(string Id, SyntaxTree? Tree, TextSpan Span), bool> _reported = new();

    /// <summary>Notes what a body calls; a body that calls into another file is a candidate for the end pass.</summary>
    /// <param name="root">The body.</param>
    /// <param name="owner">The method (or other member) the body belongs to.</param>
    /// <param name="api">Recognises the lock calls, as configured for the body's file.</param>
    /// <param name="summaries">The same-file summaries, to tell a method whose locks are balanced inside it.</param>
    public void Record(IOperation root, ISymbol owner, LockApi api, SummaryScope? summaries)
    {
        var facts = BodyFacts.Collect(root, api);
        if (owner is IMethodSymbol method)
        {
            if (facts.TouchesLocks && summaries is not null)
            {
                facts.KeepTouchOnlyIf(summaries.Of(method) is not null);
            }

            _facts[SummaryProvider.Normalize(method)] = facts;
        }

        if (facts.CallsOtherFile)
        {
            _candidates.Add((root.Syntax, owner, facts));
        }
    }

    /// <summary>Remembers a diagnostic reported live, so that the end pass does not report it again.</summary>
    public void Reported(Diagnostic diagnostic) => _reported.TryAdd(Key(diagnostic), true);

    public void AnalyzeAtEnd(CompilationAnalysisContext context, Func<SyntaxTree, LockApi> apis, ConcurrentBag<LockOrderEdge> nested)
    {
        var layers = new Dictionary<(IMethodSymbol, int), HashSet<SyntaxTree>?>();
        var models = new Dictionary<SyntaxTree, SemanticModel>();
        SummaryScope? scope = null;
        foreach (var (rootSyntax, owner, facts) in _candidates)
        {
            var tree = rootSyntax.SyntaxTree;
            var throughOtherFiles = facts.Callees.Where(callee => TreesReached(callee, SummaryProvider.MaxDepth, layers) is { } trees && trees.Any(t => t != tree)).ToList();
            if (throughOtherFiles.Count == 0)
            {
                continue;
            }

            // Only now are other files read: is there a summary to apply after all (a lock touched in a balanced way is none)?
            scope ??= new SummaryScope(new SummaryProvider(apis, context.CancellationToken), SummaryProvider.MaxDepth, t => ModelOf(context.Compilation, t, models));
            if (!throughOtherFiles.Any(callee => scope.Of(callee) is not null)
                || GraphOf(ModelOf(context.Compilation, tree, models).GetOperation(rootSyntax, context.CancellationToken), context) is not { } graph)
            {
                continue;
            }

            BodyAnalysis.Run(graph, owner, apis(tree), scope, RuleDescriptors.AtCompilationEnd, Report, nested, context.CancellationToken);
        }

        void Report(Diagnostic diagnostic)
        {
            if (_reported.TryAdd(Key(diagnostic), true))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    /// <summary>
    /// The files of the methods through which <paramref name="method"/> may take or release a lock, following calls
    /// <paramref name="depth"/> deep; null when it cannot (then it has no summary to apply).
    /// </summary>
    private HashSet<SyntaxTree>? TreesReached(IMethodSymbol method, int depth, Dictionary<(IMethodSymbol, int), HashSet<SyntaxTree>?> layers)
    {
        if (depth <= 0 || !_facts.TryGetValue(method, out var facts))
        {
            return null;
        }

        if (layers.TryGetValue((method, depth), out var known))
        {
            return known;
        }

        layers[(method, depth)] = null;
        HashSet<SyntaxTree>? trees = null;
        foreach (var callee in facts.Callees)
        {
            if (TreesReached(callee, depth - 1, layers) is { } reached)
            {
                (trees ??= new HashSet<SyntaxTree>()).UnionWith(reached);
            }
        }

        if (facts.TouchesLocks || trees is not null)
        {
            trees ??= new HashSet<SyntaxTree>();
            trees.UnionWith(method.DeclaringSyntaxReferences.Select(reference => reference.SyntaxTree));
        }

        layers[(method, depth)] = trees;
        return trees;
    }

    // The analyzer driver's models of other files are gone at compilation end, so this asks the compilation (what
    // RS1030 warns analyzers against), for the files of the bodies and helpers that the pass needs, nothing else.
    private static SemanticModel ModelOf(Compilation compilation, SyntaxTree tree, Dictionary<SyntaxTree, SemanticModel> models)
    {
        if (!models.TryGetValue(tree, out var model))
        {
            model = compilation.GetSemanticModel(tree);
            models[tree] = model;
        }

        return model;
    }

    private static ControlFlowGraph? GraphOf(IOperation? operation, CompilationAnalysisContext context)
    {
        while (operation?.Parent is { } parent)
        {
            operation = parent;
        }

        var cancellationToken = context.CancellationToken;
        return operation switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
            IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
            IFieldInitializerOperation field => ControlFlowGraph.Create(field, cancellationToken),
            IPropertyInitializerOperation property => ControlFlowGraph.Create(property, cancellationToken),
            IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter, cancellationToken),
            _ => null,
        };
    }

    private static (string, SyntaxTree?, TextSpan) Key(Diagnostic diagnostic) => (diagnostic.Id, diagnostic.Location.SourceTree, diagnostic.Location.SourceSpan);
}
