using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>
/// Where a lock that a method touches lives, in terms a caller can map to its own expressions: a chain of fields and
/// properties read from <c>this</c>, from a parameter, or from a static member.
/// </summary>
internal sealed class LockPath
{
    private LockPath(LockPathRoot root, int parameter, ImmutableArray<ISymbol> members)
    {
        Root = root;
        Parameter = parameter;
        Members = members;
    }

    public LockPathRoot Root { get; }

    /// <summary>The parameter's ordinal, for <see cref="LockPathRoot.Parameter"/>.</summary>
    public int Parameter { get; }

    /// <summary>The fields and properties read from the root, outermost first.</summary>
    public ImmutableArray<ISymbol> Members { get; }

    /// <summary>The lock-order identity (ACRN004) of a lock held in a field or a static property.</summary>
    public string? OrderKey => Members.IsEmpty ? null : OperationKeys.OrderOf(Members[Members.Length - 1]);

    /// <summary>The path of a lock expression, or null when it is a local or a computed value no caller can name.</summary>
    public static LockPath? Of(IOperation? operation, OperationKeys keys)
    {
        switch (keys.Resolve(operation))
        {
            case IInstanceReferenceOperation:
                return new LockPath(LockPathRoot.This, 0, ImmutableArray<ISymbol>.Empty);
            case IParameterReferenceOperation parameter when parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } method
                && !IsPrimaryConstructor(method):
                return new LockPath(LockPathRoot.Parameter, parameter.Parameter.Ordinal, ImmutableArray<ISymbol>.Empty);
            case IFieldReferenceOperation field:
                return Member(field.Instance, field.Field, keys);
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                return Member(property.Instance, property.Property, keys);
            default:
                return null;
        }
    }

    /// <summary>This path read from <paramref name="root"/> instead of from this path's own root.</summary>
    public LockPath? Under(LockPath? root)
        => root is null ? null : new LockPath(root.Root, root.Parameter, root.Members.AddRange(Members));

    /// <summary>The key the caller's <see cref="OperationKeys"/> gives the same lock, from the key of this path's root there.</summary>
    public string KeyUnder(string rootKey)
    {
        var key = rootKey;
        foreach (var member in Members)
        {
            key = OperationKeys.MemberKey(member, key);
        }

        return key;
    }

    /// <summary>How the lock reads from the caller, given how the caller writes this path's root.</summary>
    public string DisplayUnder(string? rootText)
    {
        var text = rootText;
        foreach (var member in Members)
        {
            text = text is null or "this" ? member.Name : text + "." + member.Name;
        }

        return text ?? "this";
    }

    /// <summary>A primary constructor's parameters, read from a member, are captured state that no caller names.</summary>
    private static bool IsPrimaryConstructor(IMethodSymbol method)
        => method.MethodKind == MethodKind.Constructor
            && method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax;

    private static LockPath? Member(IOperation? instance, ISymbol member, OperationKeys keys)
    {
        if (instance is null)
        {
            return new LockPath(LockPathRoot.Static, 0, ImmutableArray.Create(member));
        }

        var owner = Of(instance, keys);
        return owner is null ? null : new LockPath(owner.Root, owner.Parameter, owner.Members.Add(member));
    }
}
