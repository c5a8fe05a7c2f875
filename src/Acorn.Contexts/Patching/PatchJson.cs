using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acorn.Contexts.Patching;

/// <summary>
/// The bounds every patch works within, and the conversions between <see cref="JsonElement"/>s and
/// <see cref="JsonNode"/>s that respect them: each recursive walk goes through a writer or reader limited to
/// <see cref="MaxDepth"/>, so no document a patch builds can overflow the stack.
/// </summary>
internal static class PatchJson
{
    /// <summary>
    /// The deepest a patch document or a patched result may nest: the most <see cref="ContextOptions.MaxDataDepth"/>
    /// allows, so no manager would keep anything deeper.
    /// </summary>
    public const int MaxDepth = 1000;

    /// <summary>
    /// How much a patch's copy operations may copy in total: without a bound, a patch of a few bytes per operation could
    /// double the data with every copy and exhaust memory before any limit is checked.
    /// </summary>
    public const int MaxCopiedBytes = 16 * 1024 * 1024;

    private static readonly JsonDocumentOptions Reading = new() { MaxDepth = MaxDepth };

    // A patch whose objects name a member twice is ambiguous (RFC 6902 appendix A.13), so it is refused as malformed.
    private static readonly JsonDocumentOptions ReadingPatch = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };
    private static readonly JsonWriterOptions Writing = new() { MaxDepth = MaxDepth };

    /// <summary>Parses JSON within <see cref="MaxDepth"/> into an element that owns its memory.</summary>
    /// <exception cref="JsonException">The text is not JSON, or nests deeper.</exception>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8) => JsonElement.Parse(utf8, Reading);

    /// <summary>Parses a patch document: as <see cref="Parse"/>, and no object may name a member twice.</summary>
    /// <exception cref="JsonException">The text is not JSON, nests deeper, or names a member twice.</exception>
    public static JsonElement ParsePatch(ReadOnlySpan<byte> utf8) => JsonElement.Parse(utf8, ReadingPatch);

    /// <summary>A mutable view of <paramref name="element"/> that never changes it: nodes are built lazily, on first change.</summary>
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(element),
    };

    /// <summary>Serializes a node (<see langword="null"/> is JSON null) within <see cref="MaxDepth"/>.</summary>
    /// <exception cref="InvalidContextDataException">The node nests deeper than <see cref="MaxDepth"/>.</exception>
    public static ArrayBufferWriter<byte> Serialize(string contextId, JsonNode? node) =>
        Write(contextId, node, static (writer, value) =>
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        });

    /// <summary>Runs <paramref name="write"/> on a writer limited to <see cref="MaxDepth"/> and returns what it wrote.</summary>
    /// <exception cref="InvalidContextDataException">The value written nests deeper than <see cref="MaxDepth"/>.</exception>
    public static ArrayBufferWriter<byte> Write<TState>(string contextId, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer, Writing);
            write(writer, state);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidContextDataException(contextId, $"the patched data would nest deeper than {MaxDepth} levels, more than any context may");
        }

        return buffer;
    }
}
