namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>What a recorded operation did.</summary>
public enum HistoryOperation
{
    /// <summary>Created the context (above every version its id had before).</summary>
    Create,

    /// <summary>Read the context.</summary>
    Read,

    /// <summary>Wrote only if the context was at the expected version.</summary>
    CompareAndSet,

    /// <summary>Wrote whatever version the context was at.</summary>
    BlindWrite,

    /// <summary>Read, computed and wrote with compare-and-set, retrying on conflicts (one operation to the caller).</summary>
    ReadModifyWrite,

    /// <summary>Deleted the context, only at the expected version when one was given.</summary>
    Delete,
}
