using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary><see cref="IPluginStateStore"/> on an Orleans cluster: one grain per plugin, in the same storage as the contexts.</summary>
/// <param name="grains">The cluster client, or a co-hosted silo's grain factory.</param>
/// <param name="timeProvider">The clock for <see cref="PluginStateRecord.UpdatedAt"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
/// <param name="scope">Keeps these plugins' state apart from other scopes' on the same cluster; empty for the default scope.</param>
public sealed class OrleansPluginStateStore(IGrainFactory grains, TimeProvider? timeProvider = null, string scope = "") : IPluginStateStore
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ClusterRetryOptions _retry = new();

    /// <inheritdoc/>
    public async Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
    {
        var snapshot = await ClusterCall.ReadAsync(pluginId, () => Grain(pluginId).GetAsync(), _retry, cancellationToken);
        return snapshot is null ? null : ToRecord(pluginId, snapshot);
    }

    /// <inheritdoc/>
    public async Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        // ToArray copies: the caller may reuse its buffer once this returns.
        var bytes = state.ToArray();
        var savedAt = _time.GetUtcNow();
        return ToRecord(pluginId, await WriteAsync(pluginId, g => g.SaveAsync(bytes, savedAt), cancellationToken));
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
        WriteAsync(pluginId, g => g.DeleteAsync(), cancellationToken);

    private Task<T> WriteAsync<T>(string pluginId, Func<IPluginStateGrain, Task<T>> call, CancellationToken cancellationToken) =>
        ClusterCall.WriteAsync(pluginId, () => call(Grain(pluginId)), _ => false, _retry, cancellationToken);

    private IPluginStateGrain Grain(string pluginId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        return grains.GetGrain<IPluginStateGrain>(AcornOrleans.ContextKey(scope, pluginId));
    }

    private static PluginStateRecord ToRecord(string pluginId, PluginStateSnapshot snapshot) =>
        new(pluginId, snapshot.State, snapshot.Version, snapshot.UpdatedAt);
}
