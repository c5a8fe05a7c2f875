namespace Acorn.Bench.OrleansCluster;

/// <summary>The interface of <see cref="ForwardedCounterGrain"/>.</summary>
public interface IForwardedCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one to an in-memory counter.</summary>
    /// <returns>The counter after the increment.</returns>
    Task<long> IncrementAsync();
}
