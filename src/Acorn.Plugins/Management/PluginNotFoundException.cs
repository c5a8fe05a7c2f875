namespace Acorn.Plugins.Management;

/// <summary>No plugin with that id is registered.</summary>
public sealed class PluginNotFoundException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="pluginId">The unknown id.</param>
    public PluginNotFoundException(string pluginId)
        : base($"No plugin with id '{pluginId}' is registered.")
    {
        PluginId = pluginId;
    }

    /// <summary>The unknown id.</summary>
    public string PluginId { get; }
}
