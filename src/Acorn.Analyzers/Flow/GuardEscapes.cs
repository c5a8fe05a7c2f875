using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>Whether a guard kept in a local is handed to other code, which then owns its disposal (ACRN007 stays silent).</summary>
internal static class GuardEscapes
{
    public static bool From(ControlFlowGraph graph, ILocalSymbol local)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in BlockOperations.Descendants(block))
            {
                switch (operation)
                {
                    case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local) && Escapes(reference):
                        return true;
                    case IFlowAnonymousFunctionOperation lambda when Mentions(lambda.Syntax, local):
                        return true;
                }
            }
        }

        return graph.LocalFunctions.Any(function => function.DeclaringSyntaxReferences.Any(reference => Mentions(reference.GetSyntax(), local)));
    }

    /// <summary>False for the uses that keep the guard in place: writes, member access, null tests, <c>using</c>'s capture.</summary>
    private static bool Escapes(ILocalReferenceOperation reference)
    {
        IOperation operation = reference;
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IDeclarationExpressionOperation)
        {
            operation = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target != operation,
            IInvocationOperation invocation => invocation.Instance != operation,
            IPropertyReferenceOperation property => property.Instance != operation,
            IFieldReferenceOperation => false,
            IArgumentOperation { Parameter.RefKind: RefKind.Out } => false,
            IFlowCaptureOperation or IIsNullOperation or IIsPatternOperation or IBinaryOperation => false,
            _ => true,
        };
    }

    private static bool Mentions(SyntaxNode syntax, ILocalSymbol local)
        => syntax.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name => name.Identifier.ValueText == local.Name);
}
