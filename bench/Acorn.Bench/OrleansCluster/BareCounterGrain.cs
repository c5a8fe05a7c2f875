namespace Acorn.Bench.OrleansCluster;

/// <summary>An in-memory counter: the same call path as a context grain (client, gateway, silo, turn), no storage.</summary>
internal sealed class BareCounterGrain : Grain, IBareCounterGrain
{
    private long _count;

    public Task<long> IncrementAsync() => Task.FromResult(++_count);
}
