using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Loader;

namespace Acorn.Plugins.Loading;

/// <summary>One plugin's collectible load context: its own dependencies from its folder, the shared contract from the host.</summary>
/// <remarks>
/// <para>
/// Returning <see langword="null"/> from <see cref="Load"/> defers to the default context. The assemblies the plugin
/// API exposes (<see cref="SharedAssemblies"/>) always come from the host, even when the plugin ships its own, because
/// type identity across the boundary (IPlugin, ILogger, JsonElement) needs one copy. Every other assembly the plugin's
/// <c>.deps.json</c> names is loaded privately from its folder, so two plugins may use different versions of one
/// library and a plugin may ship one the host lacks (a <c>Microsoft.Extensions.AI.Abstractions</c>, say); only an
/// assembly the plugin does not ship comes from the host.
/// </para>
/// <para>
/// A few framework assemblies whose static caches would otherwise keep every plugin that used them alive
/// (<see cref="IsolatedFrameworkAssemblies"/>) are loaded again, privately, from the host's framework folder.
/// </para>
/// <para>
/// With verified <see cref="PluginCode"/> (a trusted plugin), every private assembly comes from the bytes that were
/// hashed, through <see cref="AssemblyLoadContext.LoadFromStream(Stream)"/>, never from the file again; a file the
/// resolver names that was not hashed is refused. Native libraries cannot be loaded from memory, so each is written
/// from its verified bytes to a new private temporary folder and loaded from there.
/// </para>
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly string _pluginId;
    private readonly AssemblyDependencyResolver _resolver;
    private readonly PluginCode? _code;

    public PluginLoadContext(string pluginId, string entryAssemblyPath, PluginCode? code)
        : base($"Acorn.Plugin:{pluginId}", isCollectible: true)
    {
        _pluginId = pluginId;
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
        _code = code;
    }

    /// <summary>
    /// The assemblies whose types the plugin API exposes, directly or through the public members of those types: the
    /// contract (IPlugin, IPluginContext), Logging.Abstractions (ILogger), and System.Text.Json (JsonElement) with what
    /// its public members use. A test walks the contract's public surface and keeps this list equal to it.
    /// </summary>
    internal static readonly FrozenSet<string> SharedAssemblies = FrozenSet.Create(
        StringComparer.Ordinal,
        "Acorn.Plugins.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "System.Text.Json",
        "System.Text.Encodings.Web",
        "System.Memory");

    internal static bool IsShared(AssemblyName name) => name.Name is { } simple && SharedAssemblies.Contains(simple);

    /// <summary>
    /// Framework assemblies each plugin gets its own copy of, from the host's framework folder, when it uses them:
    /// <c>System.ComponentModel.TypeConverter</c>, whose <c>TypeDescriptor</c> caches every type it describes in statics
    /// that .NET 10 never clears (Newtonsoft.Json asks it about every type it serializes), and the facades that forward
    /// to it for libraries built against .NET Standard or .NET Framework. In the plugin's context those caches die
    /// with it; in the host's they would keep it alive forever.
    /// </summary>
    internal static readonly FrozenSet<string> IsolatedFrameworkAssemblies = FrozenSet.Create(
        StringComparer.Ordinal,
        "System.ComponentModel.TypeConverter",
        "netstandard",
        "System");

    /// <summary>Loads one of the plugin's own assemblies: from its verified bytes when there are any, else from the file.</summary>
    /// <exception cref="FileLoadException">The plugin is trusted and the file is not part of its verified code.</exception>
    public Assembly LoadPrivate(string path)
    {
        if (_code is null)
        {
            return LoadFromAssemblyPath(path);
        }

        var image = Verified(path);
        using var stream = new MemoryStream(image, writable: false);
        return LoadFromStream(stream);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is not null)
        {
            return LoadPrivate(path);
        }

        return assemblyName.Name is { } simple && IsolatedFrameworkAssemblies.Contains(simple) ? LoadIsolatedFramework(assemblyName) : null;
    }

    /// <summary>A private copy of one of the host's framework assemblies, from the file the host itself loads; null (the host's copy) when it has no file.</summary>
    private Assembly? LoadIsolatedFramework(AssemblyName assemblyName)
    {
        var location = Default.LoadFromAssemblyName(assemblyName).Location;
        return location.Length == 0 ? null : LoadFromAssemblyPath(location);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is null)
        {
            return IntPtr.Zero;
        }

        return _code is null ? LoadUnmanagedDllFromPath(path) : LoadVerifiedNative(path);
    }

    private byte[] Verified(string path) => _code!.TryGetImage(path, out var image, out var relative)
        ? image
        : throw new FileLoadException($"Plugin '{_pluginId}' is trusted by hash, and '{relative}' is not part of the code that was hashed: it was not loaded.", path);

    /// <summary>Loads a native library of a trusted plugin from a private copy of its verified bytes.</summary>
    /// <exception cref="FileLoadException">The file is not part of the plugin's verified code.</exception>
    internal IntPtr LoadVerifiedNative(string path)
    {
        var image = Verified(path);
        var folder = Directory.CreateTempSubdirectory("acorn-native-");
        var copy = Path.Combine(folder.FullName, Path.GetFileName(path));
        using (var file = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(image);
        }

        var handle = LoadUnmanagedDllFromPath(copy);
        try
        {
            // Unix keeps a loaded library mapped after its file is deleted; Windows refuses, and the copy stays in the temp folder.
            folder.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the temporary copy is left behind; the library is loaded either way.
        }

        return handle;
    }
}
