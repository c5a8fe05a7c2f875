using Acorn.Plugins;

namespace Acorn.Client;

/// <summary>A plugin on the server, as its status reports it.</summary>
/// <param name="Id">The plugin id from its manifest.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Version">Its SemVer version.</param>
/// <param name="Description">What it does.</param>
/// <param name="Status">Where it is in its life.</param>
/// <param name="Reason">Why it failed or is blocked, or <see langword="null"/>.</param>
/// <param name="BlockedBy">The dependency that blocks it, or <see langword="null"/>.</param>
/// <param name="Dependencies">The plugins it needs, with their version ranges.</param>
/// <param name="Capabilities">The capabilities its manifest asks for.</param>
/// <param name="Leak">Why an earlier load context of it was never collected, or <see langword="null"/>.</param>
public sealed record AcornPlugin(
    string Id,
    string Name,
    string Version,
    string Description,
    PluginStatus Status,
    string? Reason,
    string? BlockedBy,
    IReadOnlyDictionary<string, string> Dependencies,
    IReadOnlyList<string> Capabilities,
    string? Leak);
