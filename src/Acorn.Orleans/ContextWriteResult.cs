namespace Acorn.Orleans;

/// <summary>The result of a grain write.</summary>
/// <param name="Outcome">How the write ended.</param>
/// <param name="Record">
/// The new state when written, the existing state on <see cref="ContextWriteOutcome.AlreadyExists"/> and
/// <see cref="ContextWriteOutcome.VersionConflict"/>, the deleted state after a delete; otherwise <see langword="null"/>.
/// </param>
[GenerateSerializer, Immutable]
public sealed record ContextWriteResult([property: Id(0)] ContextWriteOutcome Outcome, [property: Id(1)] ContextRecord? Record);
