using System.Diagnostics.CodeAnalysis;

namespace Acorn.Plugins.Manifests;

/// <summary>The outcome of reading a <c>plugin.json</c>: a valid manifest, or every error found in it.</summary>
public sealed class ManifestReadResult
{
    private ManifestReadResult(PluginManifest? manifest, IReadOnlyList<ManifestError> errors)
    {
        Manifest = manifest;
        Errors = errors;
    }

    /// <summary>The manifest when it is valid; otherwise <see langword="null"/>.</summary>
    public PluginManifest? Manifest { get; }

    /// <summary>Every problem found; empty when the manifest is valid.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    /// <summary>Whether the manifest is valid.</summary>
    [MemberNotNullWhen(true, nameof(Manifest))]
    public bool IsValid => Manifest is not null;

    internal static ManifestReadResult Valid(PluginManifest manifest) => new(manifest, []);

    internal static ManifestReadResult Invalid(IReadOnlyList<ManifestError> errors) => new(null, errors);
}
