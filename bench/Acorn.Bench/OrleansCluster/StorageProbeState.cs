namespace Acorn.Bench.OrleansCluster;

/// <summary>The state of <see cref="StorageProbeGrain"/>.</summary>
[GenerateSerializer]
public sealed class StorageProbeState
{
    /// <summary>The bytes.</summary>
    [Id(0)] public byte[] Payload { get; set; } = [];
}
