using Acorn.Plugins.Loading;

namespace Acorn.Server.Commands;

/// <summary>
/// <c>plugin-hash &lt;folder&gt;...</c>: prints the SHA-256 of each plugin folder's code, the value that
/// <c>Acorn:Plugins:TrustedSha256:&lt;pluginId&gt;</c> must hold for the server to load it (see <see cref="PluginCode"/>).
/// </summary>
internal static class PluginHashCommand
{
    /// <summary>The first command-line argument that selects this command instead of starting the server.</summary>
    public const string Name = "plugin-hash";

    /// <summary>Prints one <c>"&lt;sha256&gt;  &lt;folder&gt;"</c> line per folder, as <c>sha256sum</c> does.</summary>
    /// <param name="folders">The plugin folders.</param>
    /// <param name="output">Where the hashes go.</param>
    /// <param name="error">Where usage and problems go.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>0 when every folder was hashed, 1 when one could not be read, 2 without a folder.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> folders, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (folders.Count == 0)
        {
            await error.WriteLineAsync($"usage: {Name} <plugin folder>...  (prints the SHA-256 to put in Acorn:Plugins:TrustedSha256:<plugin id>)").ConfigureAwait(false);
            return 2;
        }

        var exitCode = 0;
        foreach (var folder in folders)
        {
            try
            {
                var code = await PluginCode.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{code.Sha256}  {folder}").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{Name}: {folder}: {ex.Message}").ConfigureAwait(false);
                exitCode = 1;
            }
        }

        return exitCode;
    }
}
