using System.Text.Json;

namespace Acorn.Plugins;

/// <summary>The host's contexts, limited by the plugin's grants: reading needs <c>contexts.read</c>, creating, updating and patching <c>contexts.write</c>, deleting <c>contexts.delete</c>.</summary>
/// <remarks>
/// <para>Failures other than permissions (unknown id, version conflict, invalid data, a patch that cannot apply) are the host's context exceptions; their messages say what happened.</para>
/// <para>
/// To change part of a context that others write too, send a patch (<see cref="PatchAsync"/>) rather than reading,
/// changing and updating: the host applies the patch on the current data under the context's own ordering, so nothing
/// is lost and nothing retries. Plugin code never runs inside the host's write path; a patch is data, not a function.
/// </para>
/// </remarks>
public interface IPluginContexts
{
    /// <summary>Reads a context.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The context, or <see langword="null"/> if there is none.</returns>
    /// <exception cref="PluginPermissionException">The plugin lacks <c>contexts.read</c>.</exception>
    Task<PluginContextDocument?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates a context.</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="data">Its JSON object.</param>
    /// <param name="cancellationToken">Cancels the create until the store has accepted it.</param>
    /// <returns>The new context (at version 1, or above every version of a context deleted before).</returns>
    /// <exception cref="PluginPermissionException">The plugin lacks <c>contexts.write</c>.</exception>
    Task<PluginContextDocument> CreateAsync(string id, JsonElement data, CancellationToken cancellationToken);

    /// <summary>Replaces a context's data, optionally only if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="data">The new JSON object.</param>
    /// <param name="expectedVersion">The version the plugin read; <see langword="null"/> replaces whatever is there.</param>
    /// <param name="cancellationToken">Cancels the update until the store has accepted it.</param>
    /// <returns>The updated context.</returns>
    /// <exception cref="PluginPermissionException">The plugin lacks <c>contexts.write</c>.</exception>
    Task<PluginContextDocument> UpdateAsync(string id, JsonElement data, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a JSON Merge Patch or JSON Patch to a context's data atomically, optionally only if it is still at
    /// <paramref name="expectedVersion"/>.
    /// </summary>
    /// <param name="id">The context id.</param>
    /// <param name="patch">The patch.</param>
    /// <param name="expectedVersion">The version the plugin read; <see langword="null"/> patches whatever is there.</param>
    /// <param name="cancellationToken">Cancels the patch until the store has accepted it.</param>
    /// <returns>The patched context.</returns>
    /// <exception cref="PluginPermissionException">The plugin lacks <c>contexts.write</c>.</exception>
    Task<PluginContextDocument> PatchAsync(string id, PluginContextPatch patch, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes a context, optionally only if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the plugin read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Cancels the delete until the store has accepted it.</param>
    /// <returns>A task that completes when the context is deleted.</returns>
    /// <exception cref="PluginPermissionException">The plugin lacks <c>contexts.delete</c>.</exception>
    Task DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken);
}
