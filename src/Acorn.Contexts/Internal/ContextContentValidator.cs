using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Acorn.Contexts.Internal;

/// <summary>Checks write content against the options and returns data the manager can own.</summary>
internal static class ContextContentValidator
{
    // Throws on an unpaired surrogate where Encoding.UTF8 would count (and later write) U+FFFD instead.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (JsonElement Data, IReadOnlyDictionary<string, string> Metadata) Validate(
        string contextId, ContextContent content, ContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidContextDataException(contextId, $"data must be a JSON object, not {JsonValueKinds.Describe(content.Data.ValueKind)}");
        }

        if (content.TimeToLive is { } ttl && ttl <= TimeSpan.Zero && ttl != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidContextDataException(contextId, $"a time to live must be positive or infinite, not {ttl}");
        }

        if (JsonTextCheck.Explain(JsonMarshal.GetRawUtf8Value(content.Data)) is { } badText)
        {
            throw new InvalidContextDataException(contextId, $"data {badText}");
        }

        var metadataBytes = MeasureMetadata(contextId, content.Metadata);
        var utf8 = Serialize(contextId, content.Data, options.MaxDataDepth);
        var total = utf8.WrittenCount + metadataBytes;
        if (total > options.MaxDataBytes)
        {
            throw new InvalidContextDataException(
                contextId, $"data and metadata take {total} bytes, more than the limit of {options.MaxDataBytes}");
        }

        // Re-reading our own serialization gives the manager an element no caller can change or dispose.
        using var owned = JsonDocument.Parse(utf8.WrittenMemory, new JsonDocumentOptions { MaxDepth = options.MaxDataDepth + 1 });
        return (owned.RootElement.Clone(), ContextState.FreezeMetadata(content.Metadata));
    }

    private static ArrayBufferWriter<byte> Serialize(string contextId, JsonElement data, int maxDepth)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = maxDepth });
            data.WriteTo(writer);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidContextDataException(contextId, $"data nests deeper than the limit of {maxDepth}");
        }

        return buffer;
    }

    private static int MeasureMetadata(string contextId, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return 0;
        }

        var bytes = 0;
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new InvalidContextDataException(contextId, "metadata keys must not be empty");
            }

            if (value is null)
            {
                throw new InvalidContextDataException(contextId, $"metadata '{LogText.Escape(key)}' has a null value");
            }

            try
            {
                bytes += StrictUtf8.GetByteCount(key) + StrictUtf8.GetByteCount(value);
            }
            catch (EncoderFallbackException)
            {
                throw new InvalidContextDataException(
                    contextId, $"metadata '{LogText.Escape(key)}' is not valid Unicode: its key or value has an unpaired UTF-16 surrogate");
            }
        }

        return bytes;
    }
}
