namespace Acorn.Plugins;

/// <summary>A plugin whose state the host saves before shutdown and restores before initialization (for example across a reload).</summary>
/// <remarks>
/// The state is opaque bytes to the host; the plugin chooses the format and should version it itself. The host keeps it
/// in its plugin state store, so it survives a host restart when that store is durable; <see cref="IPluginContext.State"/>
/// reads and writes the same bytes.
/// </remarks>
public interface IStatefulPlugin : IPlugin
{
    /// <summary>Returns the plugin's current state. The host calls it before <see cref="IPlugin.ShutdownAsync"/> and when it is asked to save plugin state.</summary>
    /// <param name="cancellationToken">Cancelled when the host gives up on the export.</param>
    /// <returns>The serialized state.</returns>
    Task<ReadOnlyMemory<byte>> ExportStateAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the plugin's state with one saved earlier. The host calls it before <see cref="IPlugin.InitializeAsync"/>, and only when state was saved.</summary>
    /// <param name="state">The bytes saved last: an earlier <see cref="ExportStateAsync"/>, or a write through <see cref="IPluginContext.State"/>.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up on the import.</param>
    /// <returns>A task that completes when the state is imported.</returns>
    Task ImportStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken);
}
