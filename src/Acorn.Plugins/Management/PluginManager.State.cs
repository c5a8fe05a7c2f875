using Acorn.Contexts;

namespace Acorn.Plugins.Management;

public sealed partial class PluginManager
{
    /// <summary>Exports an active plugin's state now and stores it, so that it survives even if the host dies before the next unload.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the save until the store has accepted it.</param>
    /// <returns>What was stored, or why nothing was: the plugin is not active, is not an <see cref="IStatefulPlugin"/>, its export failed, or the store did.</returns>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    /// <remarks>Saves of one plugin, including the one before its shutdown, run one at a time in the order asked for.</remarks>
    public Task<PluginStateResult> SaveStateAsync(string pluginId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Find(pluginId);
        }

        return _state.SaveAsync(pluginId, token => ExportActiveAsync(pluginId, token), cancellationToken);
    }

    /// <summary>Saves the state of every active <see cref="IStatefulPlugin"/>; one plugin's failure does not stop the others.</summary>
    /// <param name="cancellationToken">Cancels the saves until the store has accepted them.</param>
    /// <returns>One result per plugin saved, ordered by id.</returns>
    public async Task<IReadOnlyList<PluginStateResult>> SaveAllStatesAsync(CancellationToken cancellationToken)
    {
        List<string> stateful;
        lock (_gate)
        {
            stateful = _entries.Values
                .Where(e => e.Status == PluginStatus.Active && e.Loaded?.Instance is IStatefulPlugin)
                .Select(e => e.Descriptor.Id)
                .ToList();
        }

        var results = await Task.WhenAll(stateful.Select(id => _state.SaveAsync(id, token => ExportActiveAsync(id, token), cancellationToken))).ConfigureAwait(false);
        return results.OrderBy(r => r.PluginId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads the saved state of every registered plugin from the store; an unreadable one is reported and the others are still read.</summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One result per registered plugin, ordered by id; <see cref="PluginStateResult.State"/> is null for a plugin with nothing saved.</returns>
    public async Task<IReadOnlyList<PluginStateResult>> LoadAllStatesAsync(CancellationToken cancellationToken)
    {
        var ids = GetPlugins().Select(p => p.Id).ToList();
        return await Task.WhenAll(ids.Select(id => _state.ReadAsync(id, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Forgets a plugin's saved state, so that its next load starts without any.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Cancels the delete until the store has accepted it.</param>
    /// <returns><see langword="true"/> if there was saved state to delete.</returns>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    /// <exception cref="InvalidOperationException">The plugin is active, or a load, unload or delete of it is running.</exception>
    /// <exception cref="ContextStoreException">The store failed; the state is still there.</exception>
    /// <remarks>
    /// Refused while the plugin is active because the delete would not stick: the plugin's export is saved again at its
    /// next unload. Unload it first. A load asked for while the delete runs waits for it, so it never starts with the
    /// state being deleted; the delete also waits for every save asked for before it.
    /// </remarks>
    public async Task<bool> DeleteStateAsync(string pluginId, CancellationToken cancellationToken)
    {
        var mine = new PluginTransition(isLoad: false);
        PluginEntry entry;
        lock (_gate)
        {
            entry = Find(pluginId);
            if (entry.Transition is not null || entry.Status == PluginStatus.Active)
            {
                var why = entry.Transition is not null ? "being loaded or unloaded, or its state is being deleted" : "active";
                throw new InvalidOperationException(
                    $"Plugin '{pluginId}' is {why}: unload it before deleting its saved state, which it would otherwise save again at its next unload.");
            }

            entry.Transition = mine;
        }

        try
        {
            return await _state.DeleteAsync(pluginId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            PluginInfo after;
            lock (_gate)
            {
                entry.Transition = null;
                after = entry.Snapshot();
            }

            mine.Complete(after);
        }
    }

    /// <summary>Exports the plugin's state if, now that it is this save's turn, the plugin is still active.</summary>
    /// <remarks>
    /// Checked at the turn, not when the save was asked for: an unload marks the plugin Stopping before queuing its own
    /// save, so a save that finds it active runs before that unload's export and shutdown.
    /// </remarks>
    private async Task<(ReadOnlyMemory<byte> State, string? Problem)> ExportActiveAsync(string pluginId, CancellationToken cancellationToken)
    {
        PluginStatus status;
        IPlugin? instance;
        lock (_gate)
        {
            var entry = _entries[pluginId];
            status = entry.Status;
            instance = entry.Loaded?.Instance;
        }

        if (status != PluginStatus.Active || instance is null)
        {
            return (default, $"plugin '{pluginId}' is {status}, not active: only a running plugin has state to export");
        }

        if (instance is not IStatefulPlugin stateful)
        {
            return (default, $"plugin '{pluginId}' does not implement {nameof(IStatefulPlugin)}, so it has no state to export");
        }

        return await ExportAsync(stateful, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the plugin's export with the shutdown timeout, as plugin code: outside every lock, on the thread pool.</summary>
    private async Task<(ReadOnlyMemory<byte> State, string? Problem)> ExportAsync(IStatefulPlugin plugin, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> state = default;
        var problem = await RunPluginCodeAsync(
            "state export",
            _options.ShutdownTimeout,
            async token => state = await plugin.ExportStateAsync(token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return (state, problem);
    }
}
