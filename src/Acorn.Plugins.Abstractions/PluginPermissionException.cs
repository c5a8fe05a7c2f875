namespace Acorn.Plugins;

/// <summary>A plugin used a capability the host did not grant it.</summary>
public sealed class PluginPermissionException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="pluginId">The plugin that made the call.</param>
    /// <param name="capability">The capability it lacks.</param>
    public PluginPermissionException(string pluginId, string capability)
        : base($"Plugin '{pluginId}' was not granted the capability '{capability}'. Ask for it in plugin.json \"capabilities\" and grant it in the host's plugin options.")
    {
        PluginId = pluginId;
        Capability = capability;
    }

    /// <summary>The plugin that made the call.</summary>
    public string PluginId { get; }

    /// <summary>The capability it lacks.</summary>
    public string Capability { get; }
}
