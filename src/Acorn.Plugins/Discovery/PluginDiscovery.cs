using Acorn.Plugins.Manifests;

namespace Acorn.Plugins.Discovery;

/// <summary>Finds plugins: every immediate subfolder of a plugin root that holds a <c>plugin.json</c>.</summary>
/// <remarks>
/// A folder is refused, with a <see cref="DiscoveryProblem"/>, when its manifest is invalid, its entry
/// assembly is missing, it or any file it names resolves outside the root (through a symlink or '..'),
/// or another folder declares the same id. One bad folder never stops the others.
/// </remarks>
public static class PluginDiscovery
{
    /// <summary>The manifest's file name in each plugin folder.</summary>
    public const string ManifestFileName = "plugin.json";

    /// <summary>Scans the roots.</summary>
    /// <param name="roots">Plugin root folders.</param>
    /// <param name="cancellationToken">Stops the scan between folders.</param>
    /// <returns>The plugins found and the folders refused.</returns>
    public static async Task<DiscoveryResult> DiscoverAsync(IEnumerable<string> roots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var found = new List<PluginDescriptor>();
        var problems = new List<DiscoveryProblem>();
        foreach (var root in roots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rootPath = Path.GetFullPath(root);
            if (!Directory.Exists(rootPath))
            {
                problems.Add(new DiscoveryProblem(DiscoveryProblemKind.RootNotFound, rootPath, null, $"plugin root '{rootPath}' does not exist", []));
                continue;
            }

            var realRoot = RealPath(rootPath);
            foreach (var folder in Directory.EnumerateDirectories(rootPath).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (plugin, problem) = await InspectAsync(folder, realRoot, cancellationToken).ConfigureAwait(false);
                if (plugin is not null)
                {
                    found.Add(plugin);
                }
                else if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
        }

        var duplicates = found.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        foreach (var group in duplicates)
        {
            var folders = string.Join(", ", group.Select(p => $"'{p.Directory}'"));
            foreach (var plugin in group)
            {
                problems.Add(new DiscoveryProblem(
                    DiscoveryProblemKind.DuplicateId, plugin.Directory, plugin.Id,
                    $"plugin id '{plugin.Id}' is declared by {group.Count()} folders ({folders}); none of them is loaded", []));
            }
        }

        var duplicateIds = duplicates.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var plugins = found.Where(p => !duplicateIds.Contains(p.Id)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        return new DiscoveryResult(plugins, problems);
    }

    private static async Task<(PluginDescriptor? Plugin, DiscoveryProblem? Problem)> InspectAsync(
        string folder, string realRoot, CancellationToken cancellationToken)
    {
        var realFolder = RealPath(folder);
        if (!IsInside(realFolder, realRoot))
        {
            return (null, Escape(folder, null, $"folder resolves to '{realFolder}', outside the plugin root '{realRoot}'"));
        }

        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            // A folder without a manifest is not a plugin (for example a shared 'runtimes' folder); it is not an error.
            return (null, null);
        }

        var realManifest = RealPath(manifestPath);
        if (!IsInside(realManifest, realFolder))
        {
            return (null, Escape(folder, null, $"{ManifestFileName} resolves to '{realManifest}', outside the plugin folder"));
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var result = PluginManifestReader.Read(bytes);
        if (!result.IsValid)
        {
            var message = $"{ManifestFileName} is invalid: {string.Join("; ", result.Errors)}";
            return (null, new DiscoveryProblem(DiscoveryProblemKind.InvalidManifest, folder, null, message, result.Errors));
        }

        var descriptor = new PluginDescriptor(result.Manifest, folder);
        if (!IsInside(descriptor.EntryAssemblyPath, Path.GetFullPath(folder)))
        {
            return (null, Escape(folder, descriptor.Id, $"entry assembly '{descriptor.Manifest.EntryAssembly}' is outside the plugin folder"));
        }

        if (!File.Exists(descriptor.EntryAssemblyPath))
        {
            return (null, new DiscoveryProblem(
                DiscoveryProblemKind.EntryAssemblyNotFound, folder, descriptor.Id,
                $"entry assembly '{descriptor.Manifest.EntryAssembly}' was not found in '{descriptor.Directory}'", []));
        }

        var realEntry = RealPath(descriptor.EntryAssemblyPath);
        if (!IsInside(realEntry, realFolder))
        {
            return (null, Escape(folder, descriptor.Id, $"entry assembly resolves to '{realEntry}', outside the plugin folder"));
        }

        return (descriptor, null);
    }

    private static DiscoveryProblem Escape(string folder, string? pluginId, string message) =>
        new(DiscoveryProblemKind.PathEscapesRoot, folder, pluginId, message, []);

    private static bool IsInside(string path, string directory)
    {
        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Resolves symlinks in every component of <paramref name="path"/>, as realpath(3) does.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null)
                {
                    // The target may itself sit under links in its parents; resolve it again from the top.
                    current = RealPath(target.FullName);
                }
            }
        }

        return current;
    }
}
