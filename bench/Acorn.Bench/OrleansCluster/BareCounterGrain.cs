using Orleans.Placement;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// An in-memory counter: the same call path as a context grain (client, gateway, silo, turn; placed like it, on the
/// gateway silo the client sends it through), no storage.
/// </summary>
[PreferLocalPlacement]
internal sealed class BareCounterGrain : Grain, IBareCounterGrain
{
    private long _count;

    public Task<long> IncrementAsync() => Task.FromResult(++_count);
}
