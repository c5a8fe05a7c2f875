namespace Acorn.Contexts;

/// <summary>Stores a context state restored from a recovery point, if that recovery point still exists.</summary>
/// <remarks>
/// The manager reads the recovery point before the restore takes its turn, so the context may have been deleted (which
/// deletes its recovery points) or the point pruned in between. The store applies the write only if the recovery point
/// is still there when the write's turn in the store comes, and otherwise fails it with
/// <see cref="RecoveryPointNotFoundException"/>, changing nothing.
/// </remarks>
public sealed class RestoreContextWrite : PutContextWrite
{
    /// <summary>Initializes the write; the expected version is <c>State.Version - 1</c>.</summary>
    /// <param name="state">The restored state.</param>
    /// <param name="recoveryPointId">The recovery point the state comes from.</param>
    public RestoreContextWrite(ContextState state, long recoveryPointId)
        : base(state)
    {
        RecoveryPointId = recoveryPointId;
    }

    /// <summary>The recovery point that must still exist.</summary>
    public long RecoveryPointId { get; }
}
