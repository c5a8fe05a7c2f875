using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acorn.Contexts.Patching;

/// <summary>
/// One application of a JSON Patch (RFC 6902) to one document: the operations run in order on a lazily built mutable
/// view of the data, which is never changed, and the first that cannot apply stops the patch.
/// </summary>
internal sealed class JsonPatchApplication
{
    private readonly string _contextId;
    private JsonNode? _root;
    private long _copiedBytes;

    private JsonPatchApplication(string contextId, JsonElement data)
    {
        _contextId = contextId;
        _root = PatchJson.ToNode(data);
    }

    /// <summary>Applies <paramref name="operations"/> to <paramref name="data"/> and returns the result.</summary>
    /// <exception cref="ContextPatchFailedException">An operation cannot apply; the exception names it.</exception>
    /// <exception cref="InvalidContextDataException">The result would nest deeper than <see cref="PatchJson.MaxDepth"/>.</exception>
    public static JsonElement Apply(string contextId, IReadOnlyList<JsonPatchOperation> operations, JsonElement data)
    {
        var application = new JsonPatchApplication(contextId, data);
        foreach (var operation in operations)
        {
            try
            {
                application.Apply(operation);
            }
            catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
            {
                // System.Text.Json refuses to build an object with a member name twice, which JSON text may have.
                throw application.Failed(operation, operation.Path, "an object on the way has a member name twice, so the path is ambiguous");
            }
        }

        return PatchJson.Parse(PatchJson.Serialize(contextId, application._root).WrittenSpan);
    }

    private void Apply(JsonPatchOperation operation)
    {
        switch (operation.Kind)
        {
            case JsonPatchOperationKind.Add:
                Add(operation, PatchJson.ToNode(operation.Value));
                break;
            case JsonPatchOperationKind.Remove:
                _ = Take(operation, operation.Path);
                break;
            case JsonPatchOperationKind.Replace:
                Replace(operation);
                break;
            case JsonPatchOperationKind.Move:
                Move(operation);
                break;
            case JsonPatchOperationKind.Copy:
                Add(operation, Copy(operation, Find(operation, operation.From!)));
                break;
            case JsonPatchOperationKind.Test:
                Test(operation);
                break;
        }
    }

    private void Add(JsonPatchOperation operation, JsonNode? value)
    {
        var path = operation.Path;
        if (path.IsRoot)
        {
            _root = value;
            return;
        }

        switch (ParentOf(operation, path))
        {
            case JsonObject parent:
                parent[path.Last] = value;
                break;
            case JsonArray parent when path.Last == "-":
                parent.Add(value);
                break;
            case JsonArray parent:
                parent.Insert(IndexIn(operation, path, path.Last, parent, allowEnd: true), value);
                break;
        }
    }

    private void Replace(JsonPatchOperation operation)
    {
        var path = operation.Path;
        var value = PatchJson.ToNode(operation.Value);
        if (path.IsRoot)
        {
            _root = value;
            return;
        }

        switch (ParentOf(operation, path))
        {
            case JsonObject parent when parent.ContainsKey(path.Last):
                parent[path.Last] = value;
                break;
            case JsonObject:
                throw Failed(operation, path, "it does not exist");
            case JsonArray parent:
                parent[IndexIn(operation, path, path.Last, parent, allowEnd: false)] = value;
                break;
        }
    }

    private void Move(JsonPatchOperation operation)
    {
        var from = operation.From!;
        if (operation.Path.IsInside(from))
        {
            throw Failed(operation, operation.Path, $"a value cannot move into itself ('{from.Text}' contains it)");
        }

        if (operation.Path.Tokens.AsSpan().SequenceEqual(from.Tokens))
        {
            // Moving a value onto itself changes nothing, but it must be there (RFC 6902 section 4.4).
            _ = Find(operation, from);
            return;
        }

        Add(operation, Take(operation, from));
    }

    private void Test(JsonPatchOperation operation)
    {
        var actual = Find(operation, operation.Path);
        var equal = actual switch
        {
            null => operation.Value.ValueKind == JsonValueKind.Null,
            JsonValue value when value.TryGetValue(out JsonElement element) => JsonElement.DeepEquals(element, operation.Value),
            _ => JsonElement.DeepEquals(PatchJson.Parse(PatchJson.Serialize(_contextId, actual).WrittenSpan), operation.Value),
        };
        if (!equal)
        {
            throw Failed(operation, operation.Path, "the value there is not the one the test expects");
        }
    }

    /// <summary>A copy of <paramref name="node"/> that shares nothing with it, counted against <see cref="PatchJson.MaxCopiedBytes"/>.</summary>
    private JsonNode? Copy(JsonPatchOperation operation, JsonNode? node)
    {
        var json = PatchJson.Serialize(_contextId, node);
        _copiedBytes += json.WrittenCount;
        if (_copiedBytes > PatchJson.MaxCopiedBytes)
        {
            throw Failed(operation, operation.From!, $"the patch's copies would copy more than {PatchJson.MaxCopiedBytes} bytes");
        }

        return PatchJson.ToNode(PatchJson.Parse(json.WrittenSpan));
    }

    /// <summary>Removes the value at <paramref name="pointer"/> and returns it, detached.</summary>
    private JsonNode? Take(JsonPatchOperation operation, JsonPointer pointer)
    {
        if (pointer.IsRoot)
        {
            throw Failed(operation, pointer, "the whole document cannot be removed");
        }

        switch (ParentOf(operation, pointer))
        {
            case JsonObject parent when parent.TryGetPropertyValue(pointer.Last, out var value):
                parent.Remove(pointer.Last);
                return value;
            case JsonArray parent:
                var index = IndexIn(operation, pointer, pointer.Last, parent, allowEnd: false);
                var item = parent[index];
                parent.RemoveAt(index);
                return item;
            default:
                throw Failed(operation, pointer, "it does not exist");
        }
    }

    /// <summary>The value at <paramref name="pointer"/>, which must exist (it may be JSON null).</summary>
    private JsonNode? Find(JsonPatchOperation operation, JsonPointer pointer) => Walk(operation, pointer, pointer.Tokens.Length);

    /// <summary>The object or array that holds, or is to hold, the value at <paramref name="pointer"/>.</summary>
    private JsonNode ParentOf(JsonPatchOperation operation, JsonPointer pointer)
    {
        var parent = Walk(operation, pointer, pointer.Tokens.Length - 1);
        return parent is JsonObject or JsonArray
            ? parent
            : throw Failed(operation, pointer, $"'{pointer.Prefix(pointer.Tokens.Length - 1)}' is {Describe(parent)}, not an object or array");
    }

    /// <summary>Follows the first <paramref name="steps"/> tokens of <paramref name="pointer"/> from the root.</summary>
    private JsonNode? Walk(JsonPatchOperation operation, JsonPointer pointer, int steps)
    {
        var current = _root;
        for (var step = 0; step < steps; step++)
        {
            var token = pointer.Tokens[step];
            current = current switch
            {
                JsonObject parent when parent.TryGetPropertyValue(token, out var child) => child,
                JsonArray parent => parent[IndexIn(operation, pointer, token, parent, allowEnd: false)],
                JsonObject => throw Failed(operation, pointer, $"'{pointer.Prefix(step + 1)}' does not exist"),
                _ => throw Failed(operation, pointer, $"'{pointer.Prefix(step)}' is {Describe(current)}, not an object or array"),
            };
        }

        return current;
    }

    /// <summary>The array index <paramref name="token"/> names: below the length, or up to it where an insert may append.</summary>
    private int IndexIn(JsonPatchOperation operation, JsonPointer pointer, string token, JsonArray array, bool allowEnd)
    {
        if (!JsonPointer.TryParseIndex(token, out var index))
        {
            throw Failed(operation, pointer, $"'{token}' is not an array index");
        }

        var end = allowEnd ? array.Count : array.Count - 1;
        return index <= end ? index : throw Failed(operation, pointer, $"index {index} is out of range (the array has {array.Count} items)");
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : Internal.JsonValueKinds.Describe(node.GetValueKind());

    private ContextPatchFailedException Failed(JsonPatchOperation operation, JsonPointer pointer, string reason) =>
        new(_contextId, operation.Index, operation.Name, pointer.Text, reason);
}
