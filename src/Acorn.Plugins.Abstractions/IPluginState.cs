namespace Acorn.Plugins;

/// <summary>The plugin's own persisted state: one blob of bytes per plugin, kept by the host in its store.</summary>
/// <remarks>
/// <para>
/// This is the same state that <see cref="IStatefulPlugin"/> exports and imports, not a separate key/value space: the
/// host saves the export here before shutdown (and when asked to), and imports what is here before
/// <see cref="IPlugin.InitializeAsync"/>. Writing it directly is for a plugin that wants its state durable right away,
/// for example after an important change, instead of only at the next shutdown; a plugin that does not implement
/// <see cref="IStatefulPlugin"/> can use it on its own.
/// </para>
/// <para>
/// The last write wins, whoever makes it: the host's save at shutdown replaces what the plugin wrote before. The
/// format is the plugin's; version it yourself. No capability is needed: a plugin only ever sees its own state.
/// Store failures surface as the host's store exception.
/// </para>
/// </remarks>
public interface IPluginState
{
    /// <summary>Reads the state saved last.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or <see langword="null"/> when nothing was saved.</returns>
    Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the saved state and returns once the host's store has made it durable.</summary>
    /// <param name="state">The bytes to keep; the host copies them.</param>
    /// <param name="cancellationToken">Cancels the write only until the store has accepted it.</param>
    /// <returns>A task that completes when the state is saved.</returns>
    Task WriteAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken);
}
