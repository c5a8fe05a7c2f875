namespace Acorn.Orleans.Grains;

/// <summary>The persisted state of a context grain: the current version, or nothing when the context does not exist.</summary>
/// <remarks>The context version lives in <see cref="Current"/>; the storage provider's ETag is a separate counter that stops a second activation from overwriting a newer write.</remarks>
[GenerateSerializer]
public sealed class ContextGrainState
{
    /// <summary>The current version, or <see langword="null"/> when the context does not exist (never created, or deleted).</summary>
    [Id(0)] public ContextRecord? Current { get; set; }

    /// <summary>How many writes this grain has persisted, ever: orders the change feed across deletes and re-creates.</summary>
    [Id(1)] public long Changes { get; set; }

    /// <summary>Which creation of the id <see cref="Current"/> belongs to: recovery points of an earlier one are never shown.</summary>
    [Id(2)] public long Incarnation { get; set; }

    /// <summary>
    /// The highest version the id ever had, kept across deletes: a context created again starts above it, so a version
    /// (or ETag) of a deleted context never matches its successor.
    /// </summary>
    [Id(3)] public long LastVersion { get; set; }
}
