using Acorn.Orleans.Grains;
using Orleans.Storage;

namespace Acorn.Orleans.Tests.Cluster.Faults;

/// <summary>
/// The real storage provider with <see cref="StorageFaults"/> in front of the context grains' state: writes pass
/// through unless a test armed a fault for that grain, and each one is recorded.
/// </summary>
/// <param name="inner">The real provider.</param>
/// <param name="faults">The faults and the record, shared by the cluster's silos.</param>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ReadStateAsync(stateName, grainId, grainState);
        if (grainState.State is ContextGrainState state)
        {
            faults.Loaded(grainId.Key.ToString()!, state);
        }
    }

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        grainState.State is ContextGrainState state
            ? faults.WriteAsync(grainId.Key.ToString()!, state, () => inner.WriteStateAsync(stateName, grainId, grainState))
            : inner.WriteStateAsync(stateName, grainId, grainState);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
