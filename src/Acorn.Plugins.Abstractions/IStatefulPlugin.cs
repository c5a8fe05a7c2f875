namespace Acorn.Plugins;

/// <summary>A plugin whose state the host saves before shutdown and restores before initialization (for example across a reload).</summary>
/// <remarks>The state is opaque bytes to the host; the plugin chooses the format and should version it itself.</remarks>
public interface IStatefulPlugin : IPlugin
{
    /// <summary>Returns the plugin's current state.</summary>
    /// <param name="cancellationToken">Cancelled when the host gives up on the export.</param>
    /// <returns>The serialized state.</returns>
    Task<ReadOnlyMemory<byte>> ExportStateAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the plugin's state with one it exported earlier. The host calls it before <see cref="IPlugin.InitializeAsync"/>.</summary>
    /// <param name="state">Bytes that an earlier <see cref="ExportStateAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancelled when the host gives up on the import.</param>
    /// <returns>A task that completes when the state is imported.</returns>
    Task ImportStateAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken);
}
