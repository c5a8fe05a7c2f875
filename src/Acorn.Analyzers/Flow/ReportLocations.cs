using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Acorn.Analyzers.Flow;

/// <summary>Where diagnostics go for the statements the compiler expands into hidden awaits and calls.</summary>
internal static class ReportLocations
{
    /// <summary>
    /// The await expression itself, or for the hidden awaits of <c>await foreach</c> and <c>await using</c> the
    /// statement's header, so that each statement gets one location however many awaits it expands to.
    /// </summary>
    public static Location OfAwait(IAwaitOperation await)
    {
        var syntax = await.Syntax;
        if (!await.IsImplicit)
        {
            return syntax.GetLocation();
        }

        for (var node = syntax; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case CommonForEachStatementSyntax forEach:
                    return Header(forEach, forEach.CloseParenToken);
                case UsingStatementSyntax usingStatement:
                    return Header(usingStatement, usingStatement.CloseParenToken);
                case StatementSyntax statement:
                    return statement.GetLocation();
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>The acquisition, or the header of the <c>lock</c> or <c>using</c> statement that acquires.</summary>
    public static Location OfAcquisition(IOperation acquisition)
    {
        var syntax = acquisition.Syntax;
        switch (syntax.Parent)
        {
            case LockStatementSyntax lockStatement when lockStatement.Expression == syntax:
                return Header(lockStatement, lockStatement.CloseParenToken);
            case UsingStatementSyntax usingStatement when usingStatement.Expression == syntax:
                return Header(usingStatement, usingStatement.CloseParenToken);
            default:
                return syntax.GetLocation();
        }
    }

    private static Location Header(SyntaxNode statement, SyntaxToken closeParen)
        => Location.Create(statement.SyntaxTree, TextSpan.FromBounds(statement.SpanStart, closeParen.Span.End));
}
