using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Plugins;

/// <summary>Checks the calling plugin's grant, then goes to the host's context manager.</summary>
/// <remarks>Called from plugin code; the manager's own per-context ordering applies, and no plugin-manager lock is involved.</remarks>
internal sealed class GuardedPluginContexts(IPluginContext owner, IContextManager? contexts) : IPluginContexts
{
    public async Task<PluginContextDocument?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var manager = Demand(PluginCapabilities.ContextsRead);
        var state = await manager.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return state is null ? null : ToDocument(state);
    }

    public async Task<PluginContextDocument> CreateAsync(string id, JsonElement data, CancellationToken cancellationToken)
    {
        var manager = Demand(PluginCapabilities.ContextsWrite);
        return ToDocument(await manager.CreateAsync(id, new ContextContent(data.Clone()), cancellationToken).ConfigureAwait(false));
    }

    public async Task<PluginContextDocument> UpdateAsync(string id, JsonElement data, long? expectedVersion, CancellationToken cancellationToken)
    {
        var manager = Demand(PluginCapabilities.ContextsWrite);
        return ToDocument(await manager.UpdateAsync(id, new ContextContent(data.Clone()), expectedVersion, cancellationToken).ConfigureAwait(false));
    }

    public async Task<PluginContextDocument> PatchAsync(string id, PluginContextPatch patch, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var manager = Demand(PluginCapabilities.ContextsWrite);
        var kind = patch.Kind switch
        {
            PluginContextPatchKind.MergePatch => ContextPatchKind.MergePatch,
            PluginContextPatchKind.JsonPatch => ContextPatchKind.JsonPatch,
            _ => throw new ArgumentOutOfRangeException(nameof(patch), patch.Kind, "Not a kind of patch."),
        };
        return ToDocument(await manager.PatchAsync(id, ContextPatch.From(kind, patch.Document), expectedVersion, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var manager = Demand(PluginCapabilities.ContextsDelete);
        await manager.DeleteAsync(id, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    private IContextManager Demand(string capability)
    {
        owner.Demand(capability);
        return contexts ?? throw new InvalidOperationException($"Plugin '{owner.PluginId}' asked for contexts, but this host runs without a context store.");
    }

    private static PluginContextDocument ToDocument(ContextState state) => new(state.Id, state.Version, state.Data);
}
