namespace Acorn.Contexts;

/// <summary>Settings of a <see cref="ContextTracker"/>.</summary>
public sealed class ContextTrackerOptions
{
    /// <summary>What to do when the context changed since the last sync. Default <see cref="ConflictPolicy.Fail"/>.</summary>
    public ConflictPolicy ConflictPolicy { get; set; } = ConflictPolicy.Fail;

    /// <summary>
    /// For <see cref="ConflictPolicy.Merge"/>: computes the content to write from the newer stored state and the local
    /// working copy. It runs outside every lock and may run more than once.
    /// </summary>
    public Func<ContextState, ContextContent, ContextContent>? Merge { get; set; }

    /// <summary>How often unsynced changes are pushed in the background; <see cref="TimeSpan.Zero"/> (the default) turns it off.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Whether every successful sync also takes a recovery point. Default <see langword="false"/>.</summary>
    public bool CreateRecoveryPointOnSync { get; set; }

    internal void Validate()
    {
        if (ConflictPolicy == ConflictPolicy.Merge && Merge is null)
        {
            throw new ArgumentException($"{nameof(ConflictPolicy)}.{nameof(ConflictPolicy.Merge)} needs a {nameof(Merge)} function.", nameof(Merge));
        }

        if (SyncInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SyncInterval), SyncInterval, $"{nameof(SyncInterval)} must not be negative.");
        }
    }
}
