using System.Text.Json;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts.Patching;

/// <summary>One checked operation of a JSON Patch document: its op, its pointers and its value, ready to apply.</summary>
/// <param name="Index">Its position in the document, from 0.</param>
/// <param name="Kind">The op.</param>
/// <param name="Name">The op as written (<c>add</c>...), for messages.</param>
/// <param name="Path">Where it applies.</param>
/// <param name="From">Where move and copy take their value; <see langword="null"/> for the others.</param>
/// <param name="Value">The value of add, replace and test; undefined for the others.</param>
internal sealed record JsonPatchOperation(
    int Index, JsonPatchOperationKind Kind, string Name, JsonPointer Path, JsonPointer? From, JsonElement Value)
{
    private static readonly Dictionary<string, JsonPatchOperationKind> Kinds = new(StringComparer.Ordinal)
    {
        ["add"] = JsonPatchOperationKind.Add,
        ["remove"] = JsonPatchOperationKind.Remove,
        ["replace"] = JsonPatchOperationKind.Replace,
        ["move"] = JsonPatchOperationKind.Move,
        ["copy"] = JsonPatchOperationKind.Copy,
        ["test"] = JsonPatchOperationKind.Test,
    };

    /// <summary>Reads the operations of a JSON Patch document (RFC 6902 section 4); members it does not know are ignored.</summary>
    /// <exception cref="InvalidContextPatchException">The document is not an array of well-formed operations.</exception>
    public static JsonPatchOperation[] ParseAll(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidContextPatchException($"a JSON Patch document must be an array of operations, not {JsonValueKinds.Describe(document.ValueKind)}");
        }

        var operations = new JsonPatchOperation[document.GetArrayLength()];
        var index = 0;
        foreach (var element in document.EnumerateArray())
        {
            operations[index] = Parse(index, element);
            index++;
        }

        return operations;
    }

    private static JsonPatchOperation Parse(int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidContextPatchException($"an operation must be a JSON object, not {JsonValueKinds.Describe(element.ValueKind)}", index);
        }

        var name = RequiredString(index, element, "op");
        if (!Kinds.TryGetValue(name, out var kind))
        {
            throw new InvalidContextPatchException($"unknown op '{name}' (add, remove, replace, move, copy or test)", index);
        }

        var path = Pointer(index, element, "path");
        var from = kind is JsonPatchOperationKind.Move or JsonPatchOperationKind.Copy ? Pointer(index, element, "from") : null;
        JsonElement value = default;
        if (kind is JsonPatchOperationKind.Add or JsonPatchOperationKind.Replace or JsonPatchOperationKind.Test
            && !element.TryGetProperty("value", out value))
        {
            throw new InvalidContextPatchException($"'{name}' needs a 'value' member", index);
        }

        return new JsonPatchOperation(index, kind, name, path, from, value);
    }

    private static JsonPointer Pointer(int index, JsonElement element, string member)
    {
        var text = RequiredString(index, element, member);
        return JsonPointer.TryParse(text)
            ?? throw new InvalidContextPatchException($"'{member}' is not a JSON Pointer: '{text}' (it must be empty or start with '/', and '~' must be '~0' or '~1')", index);
    }

    private static string RequiredString(int index, JsonElement element, string member)
    {
        if (!element.TryGetProperty(member, out var value))
        {
            throw new InvalidContextPatchException($"'{member}' is missing", index);
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidContextPatchException($"'{member}' must be a string, not {JsonValueKinds.Describe(value.ValueKind)}", index);
    }
}
