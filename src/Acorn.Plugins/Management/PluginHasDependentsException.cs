namespace Acorn.Plugins.Management;

/// <summary>A plugin cannot be unloaded because active plugins depend on it and a cascade was not asked for.</summary>
public sealed class PluginHasDependentsException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="pluginId">The plugin to unload.</param>
    /// <param name="dependents">The active plugins that need it.</param>
    public PluginHasDependentsException(string pluginId, IReadOnlyList<string> dependents)
        : base($"Plugin '{pluginId}' cannot be unloaded: active plugins depend on it ({string.Join(", ", dependents)}). Unload them first or ask for a cascade.")
    {
        PluginId = pluginId;
        Dependents = dependents;
    }

    /// <summary>The plugin to unload.</summary>
    public string PluginId { get; }

    /// <summary>The active plugins that need it.</summary>
    public IReadOnlyList<string> Dependents { get; }
}
