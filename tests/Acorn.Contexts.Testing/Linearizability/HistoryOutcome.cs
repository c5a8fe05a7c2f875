namespace Acorn.Contexts.Testing.Linearizability;

/// <summary>How a recorded operation ended.</summary>
public enum HistoryOutcome
{
    /// <summary>It succeeded.</summary>
    Done,

    /// <summary>Refused with a version conflict: the context was at another version than the expected one.</summary>
    Conflict,

    /// <summary>Refused because the context did not exist.</summary>
    NotFound,

    /// <summary>A create refused because the context existed.</summary>
    AlreadyExists,
}
