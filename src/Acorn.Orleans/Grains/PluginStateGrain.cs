namespace Acorn.Orleans.Grains;

/// <summary>The grain behind <see cref="IPluginStateGrain"/>: saves one at a time, acknowledged once persisted.</summary>
/// <param name="saved">The persisted state.</param>
public sealed class PluginStateGrain(
    [PersistentState("plugin-state", AcornOrleans.StorageName)] IPersistentState<PluginStateGrainState> saved)
    : Grain, IPluginStateGrain
{
    Task<PluginStateSnapshot?> IPluginStateGrain.GetAsync() => Task.FromResult(saved.State.Current);

    async Task<PluginStateSnapshot> IPluginStateGrain.SaveAsync(byte[] state, DateTimeOffset savedAt)
    {
        var next = new PluginStateSnapshot(state, (saved.State.Current?.Version ?? 0) + 1, savedAt);
        await WriteAsync(next);
        return next;
    }

    async Task<bool> IPluginStateGrain.DeleteAsync()
    {
        if (saved.State.Current is null)
        {
            return false;
        }

        await WriteAsync(null);
        return true;
    }

    private async Task WriteAsync(PluginStateSnapshot? next)
    {
        var previous = saved.State.Current;
        saved.State.Current = next;
        try
        {
            await saved.WriteStateAsync();
        }
        catch
        {
            // Unknown outcome: leave, so that the next activation reads what storage holds (as ContextGrain does).
            saved.State.Current = previous;
            DeactivateOnIdle();
            throw;
        }
    }
}

/// <summary>The persisted state of a plugin state grain.</summary>
[GenerateSerializer]
public sealed class PluginStateGrainState
{
    /// <summary>The saved state, or <see langword="null"/> when none is.</summary>
    [Id(0)] public PluginStateSnapshot? Current { get; set; }
}
