using System.Text.Json;

namespace Acorn.Plugins;

/// <summary>
/// A change to a context's data, sent as data: the host applies it atomically on the context's current data, so
/// concurrent patches of a hot context queue instead of retrying and none is lost.
/// </summary>
/// <param name="Kind">Whether <paramref name="Document"/> is a merge patch or a JSON Patch.</param>
/// <param name="Document">The patch document: for a JSON Patch an array of operations; for a merge patch usually an object.</param>
public sealed record class PluginContextPatch(PluginContextPatchKind Kind, JsonElement Document)
{
    /// <summary>Parses a patch document from JSON text.</summary>
    /// <param name="kind">Whether the text is a merge patch or a JSON Patch.</param>
    /// <param name="json">The patch document.</param>
    /// <returns>The patch; the host checks that it is well formed when it is sent.</returns>
    /// <exception cref="JsonException"><paramref name="json"/> is not JSON.</exception>
    public static PluginContextPatch Parse(PluginContextPatchKind kind, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return new PluginContextPatch(kind, document.RootElement.Clone());
    }
}
