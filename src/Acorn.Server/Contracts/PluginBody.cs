using Acorn.Plugins;
using Acorn.Plugins.Management;

namespace Acorn.Server.Contracts;

/// <summary>A plugin as the API returns it.</summary>
/// <param name="Id">The plugin id from its manifest.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Version">Its SemVer version.</param>
/// <param name="Description">What it does.</param>
/// <param name="Status">Its lifecycle status.</param>
/// <param name="Reason">Why it failed or is blocked, or null.</param>
/// <param name="BlockedBy">The dependency that blocks it, or null.</param>
/// <param name="Dependencies">The plugins it needs, with their version ranges.</param>
/// <param name="Capabilities">The capabilities its manifest asks for.</param>
/// <param name="Leak">Why a load context of it that was unloaded earlier was never collected, or null; stays after it is loaded again.</param>
public sealed record PluginBody(
    string Id,
    string Name,
    string Version,
    string Description,
    PluginStatus Status,
    string? Reason,
    string? BlockedBy,
    IReadOnlyDictionary<string, string> Dependencies,
    IReadOnlyList<string> Capabilities,
    string? Leak)
{
    internal static PluginBody From(PluginInfo plugin)
    {
        var manifest = plugin.Descriptor.Manifest;
        return new(plugin.Id, manifest.Name, manifest.Version, manifest.Description, plugin.Status, plugin.Reason, plugin.BlockedBy,
            manifest.Dependencies, manifest.Capabilities, plugin.Leak);
    }
}
