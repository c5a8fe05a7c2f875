namespace Acorn.Orleans;

/// <summary>The result of <see cref="IContextGrain.CreateRecoveryPointAsync"/>.</summary>
/// <param name="Outcome"><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</param>
/// <param name="Point">The persisted recovery point, when written.</param>
[GenerateSerializer, Immutable]
public sealed record RecoveryPointResult([property: Id(0)] ContextWriteOutcome Outcome, [property: Id(1)] RecoveryPointRecord? Point);
