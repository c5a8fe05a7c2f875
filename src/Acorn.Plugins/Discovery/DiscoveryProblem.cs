using Acorn.Plugins.Manifests;

namespace Acorn.Plugins.Discovery;

/// <summary>A folder that discovery refused, and why.</summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="Path">The folder (or root) concerned.</param>
/// <param name="PluginId">The plugin id when the manifest was readable enough to know it.</param>
/// <param name="Message">A sentence for the operator.</param>
/// <param name="ManifestErrors">For <see cref="DiscoveryProblemKind.InvalidManifest"/>, every bad field.</param>
public sealed record class DiscoveryProblem(
    DiscoveryProblemKind Kind, string Path, string? PluginId, string Message, IReadOnlyList<ManifestError> ManifestErrors)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind} at {Path}: {Message}";
}
