namespace Acorn.Plugins.Management;

/// <summary>The hashes of a plugin's code files at one time, without the bytes: enough to name what changed later.</summary>
internal sealed record class PluginCodeListing(string Sha256, IReadOnlyDictionary<string, string> FileSha256)
{
    /// <summary>Names the files changed, added and removed in <paramref name="now"/> relative to this listing.</summary>
    public string Differences(PluginCodeListing now)
    {
        var changed = FileSha256.Keys.Where(f => now.FileSha256.TryGetValue(f, out var hash) && hash != FileSha256[f]);
        var added = now.FileSha256.Keys.Where(f => !FileSha256.ContainsKey(f));
        var removed = FileSha256.Keys.Where(f => !now.FileSha256.ContainsKey(f));
        var parts = new[] { ("changed", changed), ("added", added), ("removed", removed) }
            .Select(p => (p.Item1, Files: p.Item2.Order(StringComparer.Ordinal).ToList()))
            .Where(p => p.Files.Count > 0)
            .Select(p => $"{p.Item1} {string.Join(", ", p.Files)}");
        return string.Join("; ", parts);
    }
}
