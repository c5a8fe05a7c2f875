using System.Reflection;
using System.Runtime.Loader;

namespace Acorn.Plugins.Loading;

/// <summary>One plugin's collectible load context: its own dependencies from its folder, the shared contract from the host.</summary>
/// <remarks>
/// Returning <see langword="null"/> from <see cref="Load"/> defers to the default context. The host's copy of
/// <c>Acorn.Plugins.Abstractions</c> and of every <c>Microsoft.Extensions.*.Abstractions</c> assembly is used even
/// when the plugin ships its own, because type identity across the boundary (IPlugin, ILogger) needs one copy.
/// Everything else the plugin's <c>.deps.json</c> names is loaded privately, so two plugins may use different
/// versions of one library.
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string pluginId, string entryAssemblyPath)
        : base($"Acorn.Plugin:{pluginId}", isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
    }

    internal static bool IsShared(AssemblyName name) =>
        name.Name is { } simple
        && (simple == "Acorn.Plugins.Abstractions"
            || (simple.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && simple.EndsWith(".Abstractions", StringComparison.Ordinal)));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
