namespace Acorn.Bench.OrleansCluster;

/// <summary>The interface of <see cref="StorageProbeGrain"/>.</summary>
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Persists a state of <paramref name="bytes"/> bytes.</summary>
    /// <param name="bytes">The payload's size.</param>
    /// <returns>A task that completes once storage has it.</returns>
    Task WriteAsync(int bytes);
}
