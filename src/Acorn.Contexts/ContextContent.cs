using System.Text;
using System.Text.Json;

namespace Acorn.Contexts;

/// <summary>What a write puts into a context: its data, its metadata and, optionally, a new time to live.</summary>
/// <param name="Data">The data: must be a JSON object.</param>
/// <param name="Metadata">String metadata; <see langword="null"/> means none.</param>
/// <remarks>
/// Content is immutable: parse it once and pass it to as many writes as you like, for example as the first content of
/// many new contexts. Contexts written from one parsed content share its text, and none of those writes parses it
/// again.
/// </remarks>
public sealed record ContextContent(JsonElement Data, IReadOnlyDictionary<string, string>? Metadata = null)
{
    // Deep enough for any MaxDataDepth the options allow: the manager checks the configured limit on every write.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = ContextOptionsValidator.MaxDataDepthLimit + 1 };

    // Throws on an unpaired surrogate where Encoding.UTF8 would write U+FFFD instead.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// How long the context lives after this write. <see langword="null"/> keeps the current expiry on updates and uses
    /// <see cref="ContextOptions.DefaultTimeToLive"/> on creates; <see cref="Timeout.InfiniteTimeSpan"/> means never.
    /// </summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>
    /// The UTF-8 text <see cref="Data"/> was parsed from by <see cref="Parse"/>, which nothing else references or
    /// changes: a write whose data is still exactly this text stores it as it is instead of writing it out again
    /// (<see cref="Internal.ContextContentValidator"/>). A copy made with <c>with { Data = ... }</c> keeps it, which
    /// is why the validator checks that <see cref="Data"/> still is this text.
    /// </summary>
    internal byte[]? SourceUtf8 { get; private init; }

    /// <summary>The document <see cref="Data"/> belongs to when <see cref="SourceUtf8"/> is set, for a state to keep instead of parsing its text again.</summary>
    internal JsonDocument? SourceDocument { get; private init; }

    /// <summary>Returns the content of an existing state, to build a modified copy in an update function.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The state's data and metadata.</returns>
    public static ContextContent From(ContextState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new ContextContent(state.Data, state.Metadata);
    }

    /// <summary>Parses JSON text into content.</summary>
    /// <remarks>
    /// The cheapest way to give a write its data: text without whitespace between tokens is stored as it is, and an
    /// update function's result keeps this parse for the next function to read; other text is minified when written.
    /// </remarks>
    /// <param name="json">A JSON object.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>The content.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON, or not valid Unicode text.</exception>
    public static ContextContent Parse(string json, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException ex)
        {
            // A lone UTF-16 surrogate cannot become UTF-8: the text is not valid Unicode, so it is not valid JSON either.
            throw new JsonException($"The JSON text is not valid Unicode: {ex.Message}", ex);
        }

        // The document reads the array it is given without copying it, and is never disposed: the element stays valid
        // for as long as anyone holds the content (its pooled metadata is simply collected with it). Parsing an update
        // function's result this way costs about 60% of deserializing a JsonElement, which copies the document.
#pragma warning disable CA2000 // The document lives as long as the element handed out of it.
        var document = JsonDocument.Parse(utf8, ParseOptions);
#pragma warning restore CA2000
        return new ContextContent(document.RootElement, metadata) { SourceUtf8 = utf8, SourceDocument = document };
    }
}
