namespace Acorn.Contexts;

/// <summary>What a <see cref="ContextManager"/> reads from its store before it serves writes; the contexts follow in the background.</summary>
/// <param name="ContextCount">How many contexts the store holds, readable or not.</param>
/// <param name="LastRecoveryPointId">The highest recovery point id ever handed out (0 when none).</param>
/// <param name="HighestDeletedVersion">
/// The highest version a delete ever removed from the store (0 when nothing was deleted). A context created after a
/// delete starts above it, so that a version, or an ETag, of a deleted context never matches its successor.
/// </param>
public sealed record ContextStoreSummary(int ContextCount, long LastRecoveryPointId, long HighestDeletedVersion);
