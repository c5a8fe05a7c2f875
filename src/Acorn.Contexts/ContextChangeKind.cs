namespace Acorn.Contexts;

/// <summary>What happened to a context.</summary>
public enum ContextChangeKind
{
    /// <summary>The context was created (at version 1, or above every version a delete removed before).</summary>
    Created,

    /// <summary>The context's data or metadata was replaced.</summary>
    Updated,

    /// <summary>The context was deleted.</summary>
    Deleted,

    /// <summary>The context was restored from a recovery point (a new version).</summary>
    Restored,

    /// <summary>The context expired and the sweeper deleted it.</summary>
    Expired,

    /// <summary>
    /// Changes were lost before this point: the subscriber fell behind and its oldest unread changes were dropped, or
    /// the source the subscription streams from (a server's event stream) restarted or dropped changes itself. Re-read
    /// the contexts you care about. A reset carries no state and version 0; its context id is the subscription's
    /// context, or empty when it watches all contexts.
    /// </summary>
    Reset,
}
