using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Acorn.Analyzers.Flow;

/// <summary>
/// Gives the expressions of one control-flow graph identity keys, so that an Exit can be matched with its Enter:
/// <c>_gate</c>, <c>this._gate</c> and the compiler's capture of <c>_gate</c> in a <c>lock</c> statement all get one key.
/// </summary>
internal sealed class OperationKeys
{
    private readonly Dictionary<CaptureId, IOperation?> _captureValues = new();
    private readonly Dictionary<CaptureId, int> _captureNumbers = new();
    private readonly Dictionary<ISymbol, int> _localNumbers = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IOperation?> _localValues = new(SymbolEqualityComparer.Default);

    public OperationKeys(ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in BlockOperations.Descendants(block))
            {
                if (operation is IFlowCaptureOperation capture)
                {
                    // A capture written on two paths (a ?: or ??) has no single meaning: keep its number only.
                    _captureValues[capture.Id] = _captureValues.ContainsKey(capture.Id) ? null : capture.Value;
                }
                else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment)
                {
                    _localValues[target.Local] = _localValues.ContainsKey(target.Local) ? null : assignment.Value;
                }
                else if (operation is IArgumentOperation { Value: ILocalReferenceOperation byReference, Parameter.RefKind: not RefKind.None })
                {
                    _localValues[byReference.Local] = null;
                }
            }
        }
    }

    /// <summary>The identity of the value an expression denotes, for matching acquisitions with releases.</summary>
    public string Of(IOperation? operation)
    {
        var resolved = Resolve(operation);
        switch (resolved)
        {
            case null:
                return "?";
            case ILocalReferenceOperation local:
                return "L" + Number(_localNumbers, local.Local);
            case IParameterReferenceOperation parameter:
                return "P:" + parameter.Parameter.Name;
            case IInstanceReferenceOperation:
                return "this";
            case IFieldReferenceOperation field:
                return MemberKey(field.Field, field.Instance is null ? StaticKey : Of(field.Instance));
            case IPropertyReferenceOperation { Arguments.IsEmpty: true } property:
                return MemberKey(property.Property, property.Instance is null ? StaticKey : Of(property.Instance));
            case IFlowCaptureReferenceOperation capture when _captureValues.TryGetValue(capture.Id, out var value) && value is null:
                // Written on several paths (`a ?? b`, `c ? a : b`): each use gets its own capture, so only the source
                // text can match an Enter with its Exit.
                return "S:" + capture.Syntax;
            case IFlowCaptureReferenceOperation capture:
                return "C" + Number(_captureNumbers, capture.Id);
            case IFlowCaptureOperation capture:
                return "C" + Number(_captureNumbers, capture.Id);
            default:
                return "S:" + resolved.Syntax;
        }
    }

    /// <summary>What a compiler capture holds, when it is written once; otherwise the operation itself.</summary>
    public IOperation? CapturedValue(IOperation operation)
        => LockApi.Unwrap(operation) is IFlowCaptureReferenceOperation reference && _captureValues.TryGetValue(reference.Id, out var value) && value is not null
            ? value
            : operation;

    /// <summary>The value a local is given by its only assignment in the body, or null when it has several (or none).</summary>
    public IOperation? ValueOf(ILocalSymbol local) => _localValues.TryGetValue(local, out var value) ? value : null;

    /// <summary>The key of the receiver of a static member.</summary>
    public const string StaticKey = "static";

    /// <summary>The key of a field or property read from the value whose key is <paramref name="instanceKey"/>.</summary>
    public static string MemberKey(ISymbol member, string instanceKey)
        => (member is IFieldSymbol ? "F:" : "Pr:") + member.ContainingType.MetadataName + "." + member.Name + "(" + instanceKey + ")";

    /// <summary>The lock's identity across the compilation, for lock order: only locks held in fields and static properties.</summary>
    public string? OrderOf(IOperation? operation)
        => Resolve(operation) switch
        {
            IFieldReferenceOperation field => OrderOf(field.Field),
            IPropertyReferenceOperation { Instance: null, Arguments.IsEmpty: true } property => OrderOf(property.Property),
            _ => null,
        };

    /// <summary>The lock-order identity of a lock held in <paramref name="member"/>: fields and static properties only.</summary>
    public static string? OrderOf(ISymbol member)
        => member is IFieldSymbol || member is IPropertySymbol { IsStatic: true } ? member.OriginalDefinition.ToDisplayString() : null;

    /// <summary>Strips conversions and sees through compiler captures of plain variables, fields and properties.</summary>
    public IOperation? Resolve(IOperation? operation)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            operation = LockApi.Unwrap(operation);
            if (operation is IDeclarationExpressionOperation declaration)
            {
                // `out var guard`: the variable declared in place.
                operation = declaration.Expression;
                continue;
            }

            if (operation is IFlowCaptureReferenceOperation reference
                && _captureValues.TryGetValue(reference.Id, out var value)
                && LockApi.Unwrap(value) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
                    or IPropertyReferenceOperation or IInstanceReferenceOperation or IFlowCaptureReferenceOperation)
            {
                operation = value;
                continue;
            }

            break;
        }

        return operation;
    }

    private static string Number<TKey>(Dictionary<TKey, int> numbers, TKey key)
        where TKey : notnull
    {
        if (!numbers.TryGetValue(key, out var number))
        {
            number = numbers.Count;
            numbers[key] = number;
        }

        return number.ToString(CultureInfo.InvariantCulture);
    }
}
