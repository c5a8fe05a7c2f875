using System.Security.Cryptography;
using System.Text;

namespace Acorn.Plugins.Loading;

/// <summary>A plugin's code read into memory once: every assembly and native library in its folder, and the one SHA-256 over all of them.</summary>
/// <remarks>
/// <para>
/// <b>Which files.</b> Every file under the plugin folder, in subfolders too, whose name ends in <c>.dll</c>, <c>.so</c>
/// or <c>.dylib</c> (any case), hidden files included: the entry assembly, its private dependencies, satellite assemblies
/// and native libraries, and also the copies of shared assemblies that the host never loads (they are hashed so that the
/// rule has no exceptions). Other files, such as <c>plugin.json</c>, <c>.deps.json</c> and <c>.pdb</c>, are not code and
/// are not hashed; a trusted plugin's context loads nothing that is not in this set, whatever they say.
/// </para>
/// <para>
/// <b>The hash.</b> Each file's path relative to the plugin folder, with <c>/</c> as separator, and its own SHA-256 in
/// lowercase hex make one line <c>"&lt;file sha256&gt;  &lt;relative path&gt;\n"</c> (two spaces, as <c>sha256sum</c>
/// prints it). The lines are ordered by relative path (ordinal) and joined; <see cref="Sha256"/> is the lowercase hex
/// SHA-256 of that text in UTF-8. Changing, adding, removing or renaming any code file changes it. For ASCII paths it
/// equals <c>cd &lt;folder&gt; &amp;&amp; find -L . -type f \( -iname '*.dll' -o -iname '*.so' -o -iname '*.dylib' \) -printf '%P\n' | LC_ALL=C sort | xargs -r -d '\n' sha256sum | sha256sum</c>.
/// </para>
/// <para>
/// <b>Why in memory.</b> The bytes that were hashed are the bytes that get loaded (<see cref="PluginLoader.Load(PluginDescriptor, PluginCode?)"/>),
/// so a file swapped after the check is never run. The cost is that the plugin's code stays in memory, as a copy, while
/// it is loaded, and that its assemblies have an empty <see cref="System.Reflection.Assembly.Location"/>.
/// </para>
/// </remarks>
public sealed class PluginCode
{
    private static readonly string[] CodeExtensions = [".dll", ".so", ".dylib"];

    private static readonly EnumerationOptions AllFiles = new()
    {
        RecurseSubdirectories = true,

        // The defaults skip hidden files (names starting with '.' on Unix) and unreadable folders: either would leave code unhashed.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
    };

    private readonly Dictionary<string, byte[]> _images;

    private PluginCode(string directory, Dictionary<string, byte[]> images, SortedDictionary<string, string> fileSha256, string sha256)
    {
        Directory = directory;
        _images = images;
        FileSha256 = fileSha256;
        Sha256 = sha256;
    }

    /// <summary>The plugin folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The SHA-256 of the plugin's whole code, in lowercase hex: the value to put in <c>Acorn:Plugins:TrustedSha256:&lt;pluginId&gt;</c>.</summary>
    public string Sha256 { get; }

    /// <summary>Each code file's own SHA-256 (lowercase hex), by path relative to the plugin folder with <c>/</c> separators, in ordinal order.</summary>
    public IReadOnlyDictionary<string, string> FileSha256 { get; }

    /// <summary>Reads every code file of a plugin folder once and hashes it.</summary>
    /// <param name="pluginDirectory">The plugin's folder.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The plugin's code.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file or folder may not be read.</exception>
    public static async Task<PluginCode> ReadAsync(string pluginDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginDirectory);
        var directory = Path.GetFullPath(pluginDirectory);
        var files = System.IO.Directory.EnumerateFiles(directory, "*", AllFiles)
            .Where(IsCode)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(directory, path).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();

        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var fileSha256 = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var listing = new StringBuilder();
        foreach (var (path, relative) in files)
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            images[relative] = bytes;
            fileSha256[relative] = hash;
            listing.Append(hash).Append("  ").Append(relative).Append('\n');
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
        return new PluginCode(directory, images, fileSha256, sha256);
    }

    /// <summary>Whether a file name is one of the code files that the hash covers.</summary>
    /// <param name="path">A file name or path.</param>
    /// <returns><see langword="true"/> for <c>.dll</c>, <c>.so</c> and <c>.dylib</c> files, in any case.</returns>
    public static bool IsCode(string path) =>
        CodeExtensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The verified bytes of a file, by full path; false when the path is outside the folder or was not read.</summary>
    internal bool TryGetImage(string path, out byte[] image, out string relative)
    {
        relative = Path.GetRelativePath(Directory, Path.GetFullPath(path)).Replace('\\', '/');
        if (_images.TryGetValue(relative, out var found))
        {
            image = found;
            return true;
        }

        image = [];
        return false;
    }
}
