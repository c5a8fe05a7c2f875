using Acorn.Orleans;
using Orleans.Placement;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// A grain that only writes its state through the context grains' storage provider: a grain call plus one storage
/// write of a payload as large as a context's stored state, without the context grain's queue and checks.
/// </summary>
/// <param name="state">The persisted payload.</param>
[PreferLocalPlacement]
internal sealed class StorageProbeGrain(
    [PersistentState("probe", AcornOrleans.StorageName)] IPersistentState<StorageProbeState> state) : Grain, IStorageProbeGrain
{
    public Task WriteAsync(int bytes)
    {
        if (state.State.Payload.Length != bytes)
        {
            state.State.Payload = new byte[bytes];
        }

        return state.WriteStateAsync();
    }
}
