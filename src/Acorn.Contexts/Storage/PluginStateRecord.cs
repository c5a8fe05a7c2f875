namespace Acorn.Contexts;

/// <summary>A plugin's saved state as an <see cref="IPluginStateStore"/> holds it.</summary>
/// <param name="PluginId">The plugin's id.</param>
/// <param name="State">The bytes the plugin (or the host, from its export) saved; their format is the plugin's.</param>
/// <param name="Version">1 for the first save, then one more for each save.</param>
/// <param name="UpdatedAt">When the store accepted the save.</param>
public sealed record class PluginStateRecord(string PluginId, ReadOnlyMemory<byte> State, long Version, DateTimeOffset UpdatedAt);
