namespace Acorn.Contexts;

/// <summary>Everything a <see cref="ContextManager"/> needs from its store at start-up.</summary>
/// <param name="Contexts">Every stored context.</param>
/// <param name="LastRecoveryPointId">The highest recovery point id ever handed out (0 when none).</param>
public sealed record ContextStoreSnapshot(IReadOnlyList<ContextState> Contexts, long LastRecoveryPointId)
{
    /// <summary>
    /// The highest version a delete ever removed from the store (0 when nothing was deleted). A context created after a
    /// delete starts above it, so that a version, or an ETag, of a deleted context never matches its successor.
    /// </summary>
    public long HighestDeletedVersion { get; init; }
}
