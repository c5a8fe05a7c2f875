using Acorn.Plugins.Loading;

namespace Acorn.Plugins.Management;

public sealed partial class PluginManager
{
    /// <summary>Each plugin's code files as they were the last time they matched the trusted hash, to say which file changed since.</summary>
    private readonly Dictionary<string, PluginCodeListing> _verified = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads and hashes the plugin's whole code when the allowlist applies; the code returned is what gets loaded, so a
    /// file swapped after the check is never run.
    /// </summary>
    private async Task<(PluginCode? Code, string? Distrust)> CheckTrustAsync(PluginDescriptor descriptor, CancellationToken cancellationToken)
    {
        var id = descriptor.Id;
        if (!_options.TrustedSha256.TryGetValue(id, out var expected))
        {
            return (null, _options.RequireTrustedHash ? $"plugin '{id}' has no trusted SHA-256 in the host's allowlist, which is required" : null);
        }

        PluginCode code;
        try
        {
            code = await PluginCode.ReadAsync(descriptor.Directory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"plugin '{id}': its code in '{descriptor.Directory}' could not be read to check its SHA-256: {ex.Message}");
        }

        expected = expected.Trim().ToLowerInvariant();
        var listing = new PluginCodeListing(code.Sha256, code.FileSha256);
        if (code.Sha256 == expected)
        {
            lock (_gate)
            {
                _verified[id] = listing;
            }

            return (code, null);
        }

        PluginCodeListing? before;
        lock (_gate)
        {
            before = _verified.GetValueOrDefault(id);
        }

        var what = before is not null && before.Sha256 == expected
            ? $"since it was last verified: {before.Differences(listing)}"
            : $"(a file was changed, added or removed since the hash was configured; the files hashed are {string.Join(", ", code.FileSha256.Keys)})";
        return (null, $"plugin '{id}' does not match its trusted SHA-256 {expected}: its code now hashes to {code.Sha256} {what}");
    }
}
