namespace Acorn.Contexts;

/// <summary>Durable storage for each plugin's state: one opaque blob per plugin id, kept next to the contexts.</summary>
/// <remarks>
/// <para>
/// It lives with <see cref="IContextStore"/> rather than in the plugin runtime because a store implements both: the
/// SQLite store keeps plugin state in the same file (and behind the same writer) as the contexts, and a distributed
/// store implements both contracts on its own storage. Nothing here depends on how plugins are loaded.
/// </para>
/// <para>
/// A save replaces the whole blob and sets the version to the previous one plus one (1 for the first save); the last
/// save wins. A save that returned is durable to the store's durability level; a save that threw changed nothing.
/// </para>
/// </remarks>
public interface IPluginStateStore
{
    /// <summary>Reads a plugin's saved state.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The saved state, or <see langword="null"/> when none was saved.</returns>
    /// <exception cref="ArgumentException"><paramref name="pluginId"/> is null or empty.</exception>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken);

    /// <summary>Replaces a plugin's saved state and returns once it is durable.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="state">The bytes to keep; the store copies them before returning.</param>
    /// <param name="cancellationToken">
    /// Cancels the save only until the store has accepted it; after that the caller always learns the outcome.
    /// </param>
    /// <returns>What is now stored, with its new version.</returns>
    /// <exception cref="ArgumentException"><paramref name="pluginId"/> is null or empty.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken);

    /// <summary>Forgets a plugin's saved state, so that its next load starts without any.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the delete only until the store has accepted it.</param>
    /// <returns><see langword="true"/> if there was state to delete.</returns>
    /// <exception cref="ArgumentException"><paramref name="pluginId"/> is null or empty.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken);
}
