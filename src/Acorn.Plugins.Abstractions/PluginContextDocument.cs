using System.Text.Json;

namespace Acorn.Plugins;

/// <summary>A context as a plugin sees it: its id, version and JSON data.</summary>
/// <param name="Id">The context id.</param>
/// <param name="Version">Its version; pass it back as the expected version to update only if nobody else did.</param>
/// <param name="Data">Its JSON object.</param>
public sealed record class PluginContextDocument(string Id, long Version, JsonElement Data);
