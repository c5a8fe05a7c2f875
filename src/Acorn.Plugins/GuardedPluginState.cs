using Acorn.Contexts;

namespace Acorn.Plugins;

/// <summary>One plugin's view of the host's plugin state store: its own id only.</summary>
/// <remarks>
/// Writes go straight to the store, not through the manager's ordered saves: a plugin may write from inside its own
/// export, which an ordered save is waiting for.
/// </remarks>
internal sealed class GuardedPluginState(string pluginId, IPluginStateStore? store) : IPluginState
{
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        var saved = await Store.GetAsync(pluginId, cancellationToken).ConfigureAwait(false);
        return saved?.State;
    }

    public Task WriteAsync(ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
        Store.SaveAsync(pluginId, state, cancellationToken);

    private IPluginStateStore Store =>
        store ?? throw new InvalidOperationException($"Plugin '{pluginId}' asked for its state, but this host runs without a plugin state store.");
}
