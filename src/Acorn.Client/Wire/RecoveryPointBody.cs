using Acorn.Contexts;

namespace Acorn.Client.Wire;

/// <summary>A recovery point as the server sends it, with the state it captured.</summary>
internal sealed record RecoveryPointBody(long Id, string ContextId, long Version, DateTimeOffset CreatedAt, StateBody State)
{
    public RecoveryPoint ToRecoveryPoint() => new(Id, State.ToState(), CreatedAt);
}
