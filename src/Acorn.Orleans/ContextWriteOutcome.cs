namespace Acorn.Orleans;

/// <summary>How a grain write ended. Expected refusals are outcomes, not exceptions, so that no Acorn exception type has to cross a grain boundary.</summary>
public enum ContextWriteOutcome
{
    /// <summary>The write is persisted; the result holds the new state.</summary>
    Written,

    /// <summary>The context does not exist; nothing changed.</summary>
    NotFound,

    /// <summary>Create found a context with that id; the result holds it; nothing changed.</summary>
    AlreadyExists,

    /// <summary>The context is not at the expected version; the result holds the current state; nothing changed.</summary>
    VersionConflict,

    /// <summary>Restore named a recovery point the context does not have; nothing changed.</summary>
    RecoveryPointNotFound,

    /// <summary>Create would exceed the scope's context limit; nothing changed.</summary>
    LimitExceeded,

    /// <summary>The content breaks a limit of the silo's <c>ContextOptions</c> (or of the caller's, for a patch); the result's reason says which; nothing changed.</summary>
    InvalidContent,

    /// <summary>A JSON Patch operation cannot apply to the data; the result's patch failure names it; nothing changed.</summary>
    PatchFailed,

    /// <summary>The patch document is malformed; the result's reason says why; nothing changed.</summary>
    InvalidPatch,

    /// <summary>
    /// The grain did not decide this operation: a storage write before it failed, and the activation is leaving so that
    /// the next one reads what storage holds. Nothing changed; sending the operation again is safe.
    /// </summary>
    NotAttempted,
}
