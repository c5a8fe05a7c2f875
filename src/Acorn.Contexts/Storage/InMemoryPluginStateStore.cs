namespace Acorn.Contexts;

/// <summary>A plugin state store in process memory: state survives unloads and reloads, not the process.</summary>
/// <remarks>The plugin manager's default when no durable store is registered; it versions saves exactly like a durable store.</remarks>
public sealed class InMemoryPluginStateStore : IPluginStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PluginStateRecord> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Initializes an empty store.</summary>
    /// <param name="timeProvider">The clock for <see cref="PluginStateRecord.UpdatedAt"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    public InMemoryPluginStateStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault(pluginId));
        }
    }

    /// <inheritdoc />
    public Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        cancellationToken.ThrowIfCancellationRequested();

        // Copied outside the gate: the caller may reuse its buffer once the save returns.
        var copy = state.ToArray();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var version = _states.TryGetValue(pluginId, out var previous) ? previous.Version + 1 : 1;
            var record = new PluginStateRecord(pluginId, copy, version, now);
            _states[pluginId] = record;
            return Task.FromResult(record);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pluginId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_states.Remove(pluginId));
        }
    }
}
