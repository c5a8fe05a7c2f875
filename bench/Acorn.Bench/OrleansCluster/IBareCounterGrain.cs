namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// The ceiling of the Orleans benchmark: a grain call that does no storage, so a context update's cost over it is what
/// the context grain and its storage add.
/// </summary>
public interface IBareCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one to an in-memory counter.</summary>
    /// <returns>The counter after the increment.</returns>
    Task<long> IncrementAsync();
}
