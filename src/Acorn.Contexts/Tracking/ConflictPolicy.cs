namespace Acorn.Contexts;

/// <summary>What <see cref="ContextTracker.SyncAsync"/> does when the context changed since the tracker last synced.</summary>
public enum ConflictPolicy
{
    /// <summary>Throw <see cref="ContextVersionConflictException"/>; the working copy stays unsynced. The default.</summary>
    Fail,

    /// <summary>Write the working copy over the newer version (last writer wins).</summary>
    Overwrite,

    /// <summary>Call <see cref="ContextTrackerOptions.Merge"/> with the newer version and the working copy, then write the result.</summary>
    Merge,
}
