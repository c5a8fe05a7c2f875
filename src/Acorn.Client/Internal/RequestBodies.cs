using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml;
using Acorn.Contexts;
using Acorn.Contexts.Internal;

namespace Acorn.Client.Internal;

/// <summary>The JSON bodies the client sends: create and replace bodies, and patches.</summary>
internal static class RequestBodies
{
    /// <summary>Above this size a body is sent after the server's <c>100 Continue</c>, so a refusal (413) arrives as an answer, not as a broken connection.</summary>
    public const int ExpectContinueAbove = 64 * 1024;

    /// <summary>
    /// <c>{"id"?,"data","metadata"?,"timeToLive"?}</c>. The data goes as the exact text it holds, so the server, not
    /// this client, judges it (and refuses text that is not Unicode rather than receiving it repaired).
    /// </summary>
    /// <exception cref="InvalidContextDataException">The data is not a JSON object, or the metadata holds text JSON cannot carry.</exception>
    public static HttpContent Context(string contextId, ContextContent content, bool withId)
    {
        ArgumentNullException.ThrowIfNull(content);
        ContextContentValidator.RequireObject(contextId, content.Data);
        ContextContentValidator.MeasureMetadata(contextId, content.Metadata);

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            if (withId)
            {
                writer.WriteString("id", contextId);
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(content.Data), skipInputValidation: true);
            if (content.Metadata is { Count: > 0 } metadata)
            {
                writer.WriteStartObject("metadata");
                foreach (var (key, value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            if (content.TimeToLive is { } timeToLive)
            {
                // null means "never expires"; left out, the server keeps the expiry (or uses its default on a create).
                if (timeToLive == Timeout.InfiniteTimeSpan)
                {
                    writer.WriteNull("timeToLive");
                }
                else
                {
                    writer.WriteString("timeToLive", XmlConvert.ToString(timeToLive));
                }
            }

            writer.WriteEndObject();
        }

        return Body(buffer.WrittenMemory, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" });
    }

    /// <summary>A patch document with its media type.</summary>
    public static HttpContent Patch(ContextPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var mediaType = patch.Kind == ContextPatchKind.MergePatch ? "application/merge-patch+json" : "application/json-patch+json";
        return Body(JsonMarshal.GetRawUtf8Value(patch.Document).ToArray(), new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" });
    }

    private static ReadOnlyMemoryContent Body(ReadOnlyMemory<byte> bytes, MediaTypeHeaderValue type)
    {
        // Read-only memory content can be sent again, which a retry after a failed connect does.
        var body = new ReadOnlyMemoryContent(bytes);
        body.Headers.ContentType = type;
        return body;
    }
}
