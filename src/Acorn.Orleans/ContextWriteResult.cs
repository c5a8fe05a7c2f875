namespace Acorn.Orleans;

/// <summary>The result of a grain write.</summary>
/// <param name="Outcome">How the write ended.</param>
/// <param name="Record">
/// The new state when written, the existing state on <see cref="ContextWriteOutcome.AlreadyExists"/> and
/// <see cref="ContextWriteOutcome.VersionConflict"/>, the deleted state after a delete; otherwise <see langword="null"/>.
/// </param>
/// <param name="Change">
/// When written: the context's change number, one higher for every write the context grain ever persisted (across
/// deletes and re-creates), so that changes can be published in order. Otherwise 0.
/// </param>
/// <param name="Reason">Why the grain refused the content (<see cref="ContextWriteOutcome.InvalidContent"/>) or the patch (<see cref="ContextWriteOutcome.InvalidPatch"/>).</param>
/// <param name="PatchFailure">Which JSON Patch operation could not apply (<see cref="ContextWriteOutcome.PatchFailed"/>).</param>
[GenerateSerializer, Immutable]
public sealed record ContextWriteResult(
    [property: Id(0)] ContextWriteOutcome Outcome,
    [property: Id(1)] ContextRecord? Record,
    [property: Id(2)] long Change = 0,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] ContextPatchFailure? PatchFailure = null);
