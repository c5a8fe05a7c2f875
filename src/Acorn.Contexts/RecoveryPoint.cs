using System.Diagnostics;

namespace Acorn.Contexts;

/// <summary>A persisted snapshot of a context that it can later be restored to.</summary>
/// <param name="Id">
/// The recovery point's id: a sequence number that increases with every recovery point taken in the store, so it
/// orders recovery points exactly, unlike wall-clock time.
/// </param>
/// <param name="State">The context as it was when the recovery point was taken.</param>
/// <param name="CreatedAt">When the recovery point was taken.</param>
[DebuggerDisplay("{Id} of {ContextId,nq} v{Version}")]
public sealed record RecoveryPoint(long Id, ContextState State, DateTimeOffset CreatedAt)
{
    /// <summary>The context the recovery point belongs to.</summary>
    public string ContextId => State.Id;

    /// <summary>The context version the recovery point captured.</summary>
    public long Version => State.Version;
}
