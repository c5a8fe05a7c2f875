namespace Acorn.Orleans;

/// <summary>One plugin's state on the cluster (key: <c>{scope}/{pluginId}</c>), so that a plugin finds it whichever server or silo it runs on.</summary>
public interface IPluginStateGrain : IGrainWithStringKey
{
    /// <summary>Returns the state, or <see langword="null"/> when none is saved.</summary>
    /// <returns>The saved state.</returns>
    Task<PluginStateSnapshot?> GetAsync();

    /// <summary>Replaces the state (version + 1, or 1 after none) and answers once it is persisted.</summary>
    /// <param name="state">The bytes.</param>
    /// <param name="savedAt">When the caller saved it.</param>
    /// <returns>The saved state.</returns>
    Task<PluginStateSnapshot> SaveAsync(byte[] state, DateTimeOffset savedAt);

    /// <summary>Forgets the state.</summary>
    /// <returns><see langword="true"/> when there was state to delete.</returns>
    Task<bool> DeleteAsync();
}

/// <summary>A plugin's saved state as it crosses the grain boundary.</summary>
/// <param name="State">The bytes.</param>
/// <param name="Version">1 after the first save, one higher after each.</param>
/// <param name="UpdatedAt">When it was saved.</param>
[GenerateSerializer, Immutable]
public sealed record PluginStateSnapshot([property: Id(0)] byte[] State, [property: Id(1)] long Version, [property: Id(2)] DateTimeOffset UpdatedAt);
