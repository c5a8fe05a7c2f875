namespace Acorn.Plugins;

/// <summary>Checks the calling plugin's grant, then asks the host.</summary>
internal sealed class GuardedPluginQuery(IPluginContext owner, Func<string, PluginStatus?> getStatus) : IPluginQuery
{
    public PluginStatus? GetStatus(string pluginId)
    {
        ArgumentNullException.ThrowIfNull(pluginId);
        owner.Demand(PluginCapabilities.PluginsQuery);
        return getStatus(pluginId);
    }
}
