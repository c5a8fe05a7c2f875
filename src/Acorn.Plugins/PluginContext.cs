using System.Text.Json;
using Acorn.Contexts;
using Microsoft.Extensions.Logging;

namespace Acorn.Plugins;

/// <summary>The host's <see cref="IPluginContext"/>: the granted capabilities are the manifest's request intersected with the host's grant.</summary>
public sealed class PluginContext : IPluginContext
{
    /// <summary>Initializes the context.</summary>
    /// <param name="manifest">The plugin's manifest.</param>
    /// <param name="logger">The plugin's logger.</param>
    /// <param name="configuration">The plugin's configuration section (an undefined element for none).</param>
    /// <param name="hostGrants">The capabilities the host allows this plugin.</param>
    /// <param name="plugins">Answers questions about other plugins; this context demands <see cref="PluginCapabilities.PluginsQuery"/> before each.</param>
    /// <param name="contexts">The host's context manager, or <see langword="null"/> when the host has none.</param>
    /// <param name="stateStore">Where the plugin's own state is kept, or <see langword="null"/> when the host has no such store.</param>
    public PluginContext(
        PluginManifest manifest,
        ILogger logger,
        JsonElement configuration,
        IEnumerable<string> hostGrants,
        Func<string, PluginStatus?> plugins,
        IContextManager? contexts = null,
        IPluginStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(hostGrants);
        Manifest = manifest;
        Logger = logger;
        Configuration = configuration;
        var allowed = hostGrants.ToHashSet(StringComparer.Ordinal);
        GrantedCapabilities = manifest.Capabilities.Where(allowed.Contains).ToHashSet(StringComparer.Ordinal);
        Plugins = new GuardedPluginQuery(this, plugins);
        Contexts = new GuardedPluginContexts(this, contexts);
        State = new GuardedPluginState(manifest.Id, stateStore);
    }

    /// <inheritdoc/>
    public string PluginId => Manifest.Id;

    /// <inheritdoc/>
    public PluginManifest Manifest { get; }

    /// <inheritdoc/>
    public ILogger Logger { get; }

    /// <inheritdoc/>
    public JsonElement Configuration { get; }

    /// <inheritdoc/>
    public IReadOnlySet<string> GrantedCapabilities { get; }

    /// <inheritdoc/>
    public IPluginQuery Plugins { get; }

    /// <inheritdoc/>
    public IPluginContexts Contexts { get; }

    /// <inheritdoc/>
    public IPluginState State { get; }

    /// <inheritdoc/>
    public void Demand(string capability)
    {
        ArgumentException.ThrowIfNullOrEmpty(capability);
        if (!GrantedCapabilities.Contains(capability))
        {
            throw new PluginPermissionException(PluginId, capability);
        }
    }
}
