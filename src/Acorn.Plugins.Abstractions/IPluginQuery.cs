namespace Acorn.Plugins;

/// <summary>What a plugin may ask the host about other plugins; every call needs the <see cref="PluginCapabilities.PluginsQuery"/> grant.</summary>
/// <remarks>The host answers from a snapshot without waiting on any plugin, so calling it from <see cref="IPlugin.InitializeAsync"/> cannot deadlock.</remarks>
public interface IPluginQuery
{
    /// <summary>A plugin's current status.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <returns>Its status, or <see langword="null"/> if no such plugin is registered.</returns>
    /// <exception cref="PluginPermissionException">The calling plugin was not granted <see cref="PluginCapabilities.PluginsQuery"/>.</exception>
    PluginStatus? GetStatus(string pluginId);
}
