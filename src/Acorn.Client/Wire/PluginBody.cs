using Acorn.Plugins;

namespace Acorn.Client.Wire;

/// <summary>A plugin as the server sends it.</summary>
internal sealed record PluginBody(
    string Id,
    string Name,
    string Version,
    string Description,
    PluginStatus Status,
    string? Reason,
    string? BlockedBy,
    Dictionary<string, string>? Dependencies,
    List<string>? Capabilities,
    string? Leak)
{
    public AcornPlugin ToPlugin() =>
        new(Id, Name, Version, Description, Status, Reason, BlockedBy, Dependencies ?? [], Capabilities ?? [], Leak);
}
