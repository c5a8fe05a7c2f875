using Orleans.Placement;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The bare counter placed at random: on 2 silos, half its calls go from the client's gateway silo on to the other
/// silo, so it measures the forwarding hop that <see cref="BareCounterGrain"/>'s placement avoids.
/// </summary>
[RandomPlacement]
internal sealed class ForwardedCounterGrain : Grain, IForwardedCounterGrain
{
    private long _count;

    public Task<long> IncrementAsync() => Task.FromResult(++_count);
}
