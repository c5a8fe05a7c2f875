using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary><see cref="IPluginStateStore"/> on an Orleans cluster: one grain per plugin, in the same storage as the contexts.</summary>
/// <param name="grains">The cluster client, or a co-hosted silo's grain factory.</param>
/// <param name="timeProvider">The clock for <see cref="PluginStateRecord.UpdatedAt"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
/// <param name="scope">Keeps these plugins' state apart from other scopes' on the same cluster; empty for the default scope.</param>
public sealed class OrleansPluginStateStore(IGrainFactory grains, TimeProvider? timeProvider = null, string scope = "") : IPluginStateStore
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    public async Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
    {
        var snapshot = await CallAsync(pluginId, g => g.GetAsync(), cancellationToken);
        return snapshot is null ? null : ToRecord(pluginId, snapshot);
    }

    /// <inheritdoc/>
    public async Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        // ToArray copies: the caller may reuse its buffer once this returns.
        var bytes = state.ToArray();
        var savedAt = _time.GetUtcNow();
        return ToRecord(pluginId, await CallAsync(pluginId, g => g.SaveAsync(bytes, savedAt), cancellationToken));
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
        CallAsync(pluginId, g => g.DeleteAsync(), cancellationToken);

    private Task<T> CallAsync<T>(string pluginId, Func<IPluginStateGrain, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        var grain = grains.GetGrain<IPluginStateGrain>(AcornOrleans.ContextKey(scope, pluginId));
        return ContextGrainClient.GuardAsync(pluginId, () => call(grain), cancellationToken);
    }

    private static PluginStateRecord ToRecord(string pluginId, PluginStateSnapshot snapshot) =>
        new(pluginId, snapshot.State, snapshot.Version, snapshot.UpdatedAt);
}
