using System.Reflection;

namespace Acorn.Plugins.Loading;

/// <summary>A plugin whose code is loaded in its own collectible context, with its entry type instantiated.</summary>
/// <remarks>
/// This object holds the only host-side references to the plugin's context and instance;
/// <see cref="Unload"/> drops them so that the context can be collected.
/// </remarks>
public sealed class LoadedPlugin
{
    private PluginLoadContext? _context;
    private IPlugin? _instance;

    internal LoadedPlugin(PluginDescriptor descriptor, PluginLoadContext context, IPlugin instance)
    {
        Descriptor = descriptor;
        _context = context;
        _instance = instance;
    }

    /// <summary>The plugin's descriptor.</summary>
    public PluginDescriptor Descriptor { get; }

    /// <summary>Whether <see cref="Unload"/> has been called.</summary>
    public bool IsUnloaded => _instance is null;

    /// <summary>The plugin's entry object.</summary>
    /// <exception cref="InvalidOperationException">The plugin has been unloaded.</exception>
    public IPlugin Instance => _instance ?? throw new InvalidOperationException($"Plugin '{Descriptor.Id}' has been unloaded.");

    /// <summary>The assemblies loaded into the plugin's own context so far (not the shared ones).</summary>
    /// <exception cref="InvalidOperationException">The plugin has been unloaded.</exception>
    public IReadOnlyList<Assembly> PrivateAssemblies =>
        (_context ?? throw new InvalidOperationException($"Plugin '{Descriptor.Id}' has been unloaded.")).Assemblies.ToList();

    /// <summary>Drops the host's references and starts unloading the context. Shut the plugin down first.</summary>
    /// <returns>A tracker that tells when the context has really been collected.</returns>
    /// <exception cref="InvalidOperationException">The plugin has already been unloaded.</exception>
    public PluginUnloadTracker Unload()
    {
        var context = _context ?? throw new InvalidOperationException($"Plugin '{Descriptor.Id}' has already been unloaded.");
        _instance = null;
        _context = null;
        var weak = new WeakReference(context, trackResurrection: true);
        context.Unload();
        return new PluginUnloadTracker(Descriptor.Id, weak);
    }
}
