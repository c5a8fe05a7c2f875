namespace Acorn.Plugins;

/// <summary>The entry point of a plugin: the host creates one instance, initializes it, and shuts it down before unloading.</summary>
/// <remarks>
/// The entry type needs a public parameterless constructor. The constructor should do nothing but
/// set fields; work belongs in <see cref="InitializeAsync"/>, which the host runs with a timeout.
/// </remarks>
public interface IPlugin
{
    /// <summary>Starts the plugin. The host calls it once, after the plugin's dependencies are active.</summary>
    /// <param name="context">What the host gives this plugin: its id, manifest, logger, configuration and granted capabilities.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up on initialization (timeout or shutdown).</param>
    /// <returns>A task that completes when the plugin is ready.</returns>
    Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken);

    /// <summary>Stops the plugin. The host calls it once before unloading; release every resource and unsubscribe every host event here.</summary>
    /// <param name="cancellationToken">Cancelled when the host gives up on shutdown.</param>
    /// <returns>A task that completes when the plugin has stopped.</returns>
    Task ShutdownAsync(CancellationToken cancellationToken);
}
