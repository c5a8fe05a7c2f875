namespace Acorn.Plugins.Loading;

/// <summary>A plugin's code could not be loaded: a missing or broken assembly, no usable entry type, or a throwing constructor.</summary>
public sealed class PluginLoadException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="pluginId">The plugin that failed to load.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PluginLoadException(string pluginId, string message, Exception? innerException = null)
        : base($"Plugin '{pluginId}' could not be loaded: {message}", innerException)
    {
        PluginId = pluginId;
    }

    /// <summary>The plugin that failed to load.</summary>
    public string PluginId { get; }
}
