using Semver;

namespace Acorn.Plugins;

/// <summary>A discovered plugin whose manifest is valid: its folder, its entry assembly and its parsed versions.</summary>
public sealed class PluginDescriptor
{
    /// <summary>Initializes a descriptor from a valid manifest.</summary>
    /// <param name="manifest">A manifest that <see cref="Manifests.PluginManifestReader"/> accepted.</param>
    /// <param name="directory">The plugin's folder (full path).</param>
    /// <exception cref="ArgumentException">A version or range in the manifest does not parse.</exception>
    public PluginDescriptor(PluginManifest manifest, string directory)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Manifest = manifest;
        Directory = Path.GetFullPath(directory);
        EntryAssemblyPath = Path.GetFullPath(Path.Combine(Directory, manifest.EntryAssembly));
        Version = SemVersion.Parse(manifest.Version, SemVersionStyles.Strict);
        HostApi = manifest.HostApi is null ? SemVersionRange.All : SemVersionRange.ParseNpm(manifest.HostApi);
        Dependencies = manifest.Dependencies.ToDictionary(d => d.Key, d => SemVersionRange.ParseNpm(d.Value), StringComparer.Ordinal);
    }

    /// <summary>The plugin's id.</summary>
    public string Id => Manifest.Id;

    /// <summary>The manifest.</summary>
    public PluginManifest Manifest { get; }

    /// <summary>The plugin's folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The entry assembly's full path.</summary>
    public string EntryAssemblyPath { get; }

    /// <summary>The plugin's version.</summary>
    public SemVersion Version { get; }

    /// <summary>The host API versions the plugin accepts.</summary>
    public SemVersionRange HostApi { get; }

    /// <summary>The plugins this one needs, with the accepted version range of each.</summary>
    public IReadOnlyDictionary<string, SemVersionRange> Dependencies { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} {Version}";
}
