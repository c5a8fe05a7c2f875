namespace Acorn.Orleans;

/// <summary>The result of <see cref="IContextGrain.UpdateRunAsync"/>: consecutive versions written together, or why none was.</summary>
/// <param name="Outcome">
/// <see cref="ContextWriteOutcome.Written"/> (every write), <see cref="ContextWriteOutcome.NotFound"/>,
/// <see cref="ContextWriteOutcome.VersionConflict"/>, <see cref="ContextWriteOutcome.InvalidContent"/> (the write at
/// <paramref name="RefusedIndex"/>) or <see cref="ContextWriteOutcome.NotAttempted"/>; a refusal changed nothing.
/// </param>
/// <param name="Records">When written, the new states in order; on a version conflict, the current state alone; otherwise empty.</param>
/// <param name="FirstChange">When written, the change number of the first write; the others follow it one by one.</param>
/// <param name="RefusedIndex">The write the silo refused (<see cref="ContextWriteOutcome.InvalidContent"/>); otherwise -1.</param>
/// <param name="Reason">Why the silo refused that write's content.</param>
[GenerateSerializer, Immutable]
public sealed record ContextRunResult(
    [property: Id(0)] ContextWriteOutcome Outcome,
    [property: Id(1)] IReadOnlyList<ContextRecord> Records,
    [property: Id(2)] long FirstChange = 0,
    [property: Id(3)] int RefusedIndex = -1,
    [property: Id(4)] string? Reason = null);
