using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Acorn.Contexts.Internal;

/// <summary>Checks write content against the options and returns data the manager can own.</summary>
internal static class ContextContentValidator
{
    // Throws on an unpaired surrogate where Encoding.UTF8 would count (and later write) U+FFFD instead.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Checks <paramref name="content"/> and returns its data as minified UTF-8 text the state owns, its frozen metadata,
    /// and the document that text is already parsed into, when the content came from <see cref="ContextContent.Parse"/>
    /// as minified text (a state can keep it instead of parsing the text again).
    /// </summary>
    public static (byte[] Data, IReadOnlyDictionary<string, string> Metadata, JsonDocument? Parsed) Validate(
        string contextId, ContextContent content, ContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(content);
        RequireObject(contextId, content.Data);

        if (content.TimeToLive is { } ttl && ttl <= TimeSpan.Zero && ttl != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidContextDataException(contextId, $"a time to live must be positive or infinite, not {ttl}");
        }

        if (JsonTextCheck.Explain(JsonMarshal.GetRawUtf8Value(content.Data)) is { } badText)
        {
            throw new InvalidContextDataException(contextId, $"data {badText}");
        }

        if (content.SourceUtf8 is { } source && IsText(content.Data, source) && MinifiedText.Depth(source) is var depth and >= 0)
        {
            // Already minified, in an array nobody else can change: kept as it is, not written out again.
            if (depth > options.MaxDataDepth)
            {
                throw DeeperThan(contextId, options.MaxDataDepth);
            }

            var (data, metadata) = Own(contextId, source, content.Metadata, options);
            return (data, metadata, content.SourceDocument);
        }

        var buffer = Write(contextId, options.MaxDataDepth, content.Data, static (writer, data) => data.WriteTo(writer));
        var (written, frozen) = Own(contextId, buffer.WrittenSpan.ToArray(), content.Metadata, options);
        return (written, frozen, null);
    }

    /// <summary>Whether <paramref name="data"/> is exactly the text of <paramref name="source"/>, the same bytes in the same array.</summary>
    private static bool IsText(JsonElement data, byte[] source)
    {
        var raw = JsonMarshal.GetRawUtf8Value(data);
        return raw.Length == source.Length
            && Unsafe.AreSame(ref MemoryMarshal.GetReference(raw), ref MemoryMarshal.GetArrayDataReference(source));
    }

    /// <summary>
    /// Checks data that <paramref name="write"/> produces (a merge patch's result) as <see cref="Validate"/> checks
    /// content, writing it once into this thread's buffer instead of parsing it into content and writing it again.
    /// </summary>
    public static (byte[] Data, IReadOnlyDictionary<string, string> Metadata, JsonDocument? Parsed) ValidateWritten<TState>(
        string contextId, TState state, Action<Utf8JsonWriter, TState> write, IReadOnlyDictionary<string, string>? metadata, ContextOptions options)
    {
        var buffer = Write(contextId, options.MaxDataDepth, state, write);
        RequireObject(contextId, KindOf(buffer.WrittenSpan[0]));
        if (JsonTextCheck.Explain(buffer.WrittenSpan) is { } badText)
        {
            throw new InvalidContextDataException(contextId, $"data {badText}");
        }

        var (data, frozen) = Own(contextId, buffer.WrittenSpan.ToArray(), metadata, options);
        return (data, frozen, null);
    }

    /// <summary>Checks the size of the data with its metadata and returns them, the metadata frozen.</summary>
    /// <param name="contextId">The context, named in the error.</param>
    /// <param name="data">
    /// The minified text, the state's own: a copy of a scratch buffer, or text no caller can change or dispose (a parsed
    /// document is about three times as large, so the state keeps the text).
    /// </param>
    /// <param name="metadata">The metadata.</param>
    /// <param name="options">The limits.</param>
    private static (byte[] Data, IReadOnlyDictionary<string, string> Metadata) Own(
        string contextId, byte[] data, IReadOnlyDictionary<string, string>? metadata, ContextOptions options)
    {
        var total = data.Length + MeasureMetadata(contextId, metadata);
        if (total > options.MaxDataBytes)
        {
            throw new InvalidContextDataException(
                contextId, $"data and metadata take {total} bytes, more than the limit of {options.MaxDataBytes}");
        }

        return (data, ContextState.FreezeMetadata(metadata));
    }

    // The kind of a minified JSON value, from its first byte.
    private static JsonValueKind KindOf(byte first) => first switch
    {
        (byte)'{' => JsonValueKind.Object,
        (byte)'[' => JsonValueKind.Array,
        (byte)'"' => JsonValueKind.String,
        (byte)'t' => JsonValueKind.True,
        (byte)'f' => JsonValueKind.False,
        (byte)'n' => JsonValueKind.Null,
        _ => JsonValueKind.Number,
    };

    /// <summary>
    /// Runs <paramref name="write"/> on this thread's writer, which writes without whitespace and refuses nesting deeper
    /// than <paramref name="maxDepth"/>; returns its buffer (valid until the thread's next call).
    /// </summary>
    private static ArrayBufferWriter<byte> Write<TState>(string contextId, int maxDepth, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var scratch = t_scratch ??= new Scratch();
        var writer = scratch.WriterFor(maxDepth);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw DeeperThan(contextId, maxDepth);
        }

        return scratch.Buffer;
    }

    private static InvalidContextDataException DeeperThan(string contextId, int maxDepth) =>
        new(contextId, $"data nests deeper than the limit of {maxDepth}");

    // One buffer and writer per thread: validation runs on every write, and in a hot context's turn.
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>A thread's reusable serialization buffer and the writer over it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Kept for the thread's life; the writer holds no unmanaged resource, only the managed buffer.")]
    private sealed class Scratch
    {
        // A buffer grown for one large context is dropped rather than kept by the thread for good.
        private const int KeptCapacity = 64 * 1024;

        private Utf8JsonWriter? _writer;
        private int _writerDepth;

        public ArrayBufferWriter<byte> Buffer { get; private set; } = new(1024);

        public Utf8JsonWriter WriterFor(int maxDepth)
        {
            if (Buffer.Capacity > KeptCapacity)
            {
                Buffer = new ArrayBufferWriter<byte>(1024);
                _writer = null;
            }

            Buffer.ResetWrittenCount();
            if (_writer is null || _writerDepth != maxDepth)
            {
                _writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { MaxDepth = maxDepth });
                _writerDepth = maxDepth;
            }
            else
            {
                _writer.Reset(Buffer);
            }

            return _writer;
        }
    }

    /// <summary>Refuses data that is not a JSON object; Acorn.Client checks it before sending.</summary>
    internal static void RequireObject(string contextId, JsonElement data) => RequireObject(contextId, data.ValueKind);

    private static void RequireObject(string contextId, JsonValueKind kind)
    {
        if (kind != JsonValueKind.Object)
        {
            throw new InvalidContextDataException(contextId, $"data must be a JSON object, not {JsonValueKinds.Describe(kind)}");
        }
    }

    /// <summary>Checks metadata keys and values and returns their UTF-8 size; Acorn.Client uses it for what JSON cannot carry.</summary>
    internal static int MeasureMetadata(string contextId, IReadOnlyDictionary<string, string>? metadata)
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
