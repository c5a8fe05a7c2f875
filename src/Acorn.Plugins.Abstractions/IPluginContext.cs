using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Acorn.Plugins;

/// <summary>What the host gives one plugin: who it is, where to log, its configuration and what it may do.</summary>
public interface IPluginContext
{
    /// <summary>The plugin's id from its manifest.</summary>
    string PluginId { get; }

    /// <summary>The plugin's manifest as the host read it.</summary>
    PluginManifest Manifest { get; }

    /// <summary>A logger whose category names the plugin.</summary>
    ILogger Logger { get; }

    /// <summary>The plugin's configuration section from the host's configuration, or an undefined element when there is none.</summary>
    JsonElement Configuration { get; }

    /// <summary>The capabilities the host granted: the ones the manifest asked for that the host's options allow.</summary>
    IReadOnlySet<string> GrantedCapabilities { get; }

    /// <summary>Questions about other plugins (needs <see cref="PluginCapabilities.PluginsQuery"/>).</summary>
    IPluginQuery Plugins { get; }

    /// <summary>The host's contexts, as far as the grants allow.</summary>
    /// <exception cref="InvalidOperationException">On use, when the host runs without a context store.</exception>
    IPluginContexts Contexts { get; }

    /// <summary>The plugin's own persisted state: the same bytes that <see cref="IStatefulPlugin"/> exports and imports.</summary>
    /// <exception cref="InvalidOperationException">On use, when the host runs without a plugin state store.</exception>
    IPluginState State { get; }

    /// <summary>Throws <see cref="PluginPermissionException"/> unless <paramref name="capability"/> was granted.</summary>
    /// <param name="capability">A name from <see cref="PluginCapabilities"/>.</param>
    /// <exception cref="PluginPermissionException">The capability was not granted to this plugin.</exception>
    void Demand(string capability);
}
