using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>A persisted snapshot of a context that it can be restored to.</summary>
/// <param name="Id">A number that increases with every recovery point of the context, so it orders them exactly.</param>
/// <param name="Context">The context as it was when the recovery point was taken.</param>
/// <param name="CreatedAt">When the recovery point was taken.</param>
[GenerateSerializer, Immutable]
public sealed record RecoveryPointRecord(
    [property: Id(0)] long Id, [property: Id(1)] ContextRecord Context, [property: Id(2)] DateTimeOffset CreatedAt)
{
    /// <summary>Returns the record as Acorn's <see cref="RecoveryPoint"/>.</summary>
    /// <returns>The recovery point.</returns>
    public RecoveryPoint ToRecoveryPoint() => new(Id, Context.ToState(), CreatedAt);
}
