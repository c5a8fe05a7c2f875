namespace Acorn.Plugins;

/// <summary>A plugin's <c>plugin.json</c>: who it is, what to load, what it needs and what it asks for.</summary>
/// <remarks>
/// Versions and ranges are kept as the text the author wrote so that this assembly needs no SemVer
/// library; the host validates them (SemVer 2.0 versions, npm-style ranges such as <c>&gt;=1.2.0</c> or <c>^1.2</c>)
/// before the manifest reaches a plugin.
/// </remarks>
public sealed record class PluginManifest
{
    /// <summary>The unique id: lower-case letters and digits, separated by single '.', '-' or '_'.</summary>
    public required string Id { get; init; }

    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>The plugin's SemVer 2.0 version.</summary>
    public required string Version { get; init; }

    /// <summary>What the plugin does.</summary>
    public string Description { get; init; } = "";

    /// <summary>Who wrote it.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>The file name of the assembly to load, relative to the plugin folder.</summary>
    public required string EntryAssembly { get; init; }

    /// <summary>The full name of the <see cref="IPlugin"/> type, or <see langword="null"/> to use the assembly's only one.</summary>
    public string? EntryType { get; init; }

    /// <summary>The range of host API versions the plugin works with, or <see langword="null"/> for any.</summary>
    public string? HostApi { get; init; }

    /// <summary>Other plugins' ids and the version range of each that this plugin needs.</summary>
    public IReadOnlyDictionary<string, string> Dependencies { get; init; } = new Dictionary<string, string>();

    /// <summary>The capabilities the plugin asks for (names from <see cref="PluginCapabilities"/>).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
