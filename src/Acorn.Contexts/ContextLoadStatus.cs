namespace Acorn.Contexts;

/// <summary>How far a <see cref="ContextManager"/> has loaded its store, and which rows it quarantined.</summary>
/// <param name="Loaded">How many stored rows the load has read so far.</param>
/// <param name="Total">How many rows the store held when the load began (0 until its summary is read).</param>
/// <param name="IsComplete">Every row is in memory or quarantined: reads no longer touch the store.</param>
/// <param name="Quarantined">Rows that could not be read: their ids answer with a <see cref="ContextStoreException"/>; every other context is served.</param>
/// <param name="Failure">Why the last attempt to load stopped, while it is not complete; <see langword="null"/> otherwise.</param>
public sealed record ContextLoadStatus(int Loaded, int Total, bool IsComplete, IReadOnlyList<UnreadableContext> Quarantined, string? Failure);
