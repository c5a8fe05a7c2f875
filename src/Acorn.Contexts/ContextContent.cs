using System.Text.Json;

namespace Acorn.Contexts;

/// <summary>What a write puts into a context: its data, its metadata and, optionally, a new time to live.</summary>
/// <param name="Data">The data: must be a JSON object.</param>
/// <param name="Metadata">String metadata; <see langword="null"/> means none.</param>
public sealed record ContextContent(JsonElement Data, IReadOnlyDictionary<string, string>? Metadata = null)
{
    // Deep enough for any MaxDataDepth the options allow: the manager checks the configured limit on every write.
    private static readonly JsonSerializerOptions ParseOptions = new() { MaxDepth = ContextOptionsValidator.MaxDataDepthLimit + 1 };

    /// <summary>
    /// How long the context lives after this write. <see langword="null"/> keeps the current expiry on updates and uses
    /// <see cref="ContextOptions.DefaultTimeToLive"/> on creates; <see cref="Timeout.InfiniteTimeSpan"/> means never.
    /// </summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Returns the content of an existing state, to build a modified copy in an update function.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The state's data and metadata.</returns>
    public static ContextContent From(ContextState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new ContextContent(state.Data, state.Metadata);
    }

    /// <summary>Parses JSON text into content.</summary>
    /// <param name="json">A JSON object.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>The content.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON, or not valid Unicode text.</exception>
    public static ContextContent Parse(string json, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement data;
        try
        {
            data = JsonSerializer.Deserialize<JsonElement>(json, ParseOptions);
        }
        catch (ArgumentException ex)
        {
            // A lone UTF-16 surrogate cannot become UTF-8: the text is not valid Unicode, so it is not valid JSON either.
            throw new JsonException($"The JSON text is not valid Unicode: {ex.Message}", ex);
        }

        return new ContextContent(data, metadata);
    }
}
