namespace Acorn.Orleans.Tests.Cluster.Faults;

/// <summary>One storage write of a context grain's state, as <see cref="StorageFaults"/> saw it.</summary>
/// <param name="GrainKey">The grain key (<c>scope/id</c>, or the id in the default scope).</param>
/// <param name="Versions">The writes the grain persisted with it: its change count above the last one storage held.</param>
/// <param name="Version">The context version it persisted (0 when it deletes).</param>
/// <param name="Failed">The grain was told the write failed.</param>
/// <param name="Persisted">Storage holds it (a write can fail after it reached storage).</param>
public sealed record StorageWrite(string GrainKey, long Versions, long Version, bool Failed, bool Persisted);
