namespace Acorn.Contexts;

/// <summary>The context has no recovery point with that id.</summary>
public sealed class RecoveryPointNotFoundException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="recoveryPointId">The missing recovery point.</param>
    public RecoveryPointNotFoundException(string contextId, long recoveryPointId)
        : base(contextId, $"Context '{contextId}' has no recovery point {recoveryPointId}.")
    {
        RecoveryPointId = recoveryPointId;
    }

    /// <summary>The recovery point that was not found.</summary>
    public long RecoveryPointId { get; }
}
