namespace Acorn.Contexts;

/// <summary>Adds a recovery point and prunes the context's oldest ones beyond a bound.</summary>
public sealed class AddRecoveryPointWrite : ContextWrite
{
    /// <summary>Initializes the write; the expected version is the captured state's version.</summary>
    /// <param name="point">The recovery point.</param>
    /// <param name="maxPerContext">How many recovery points the context keeps; older ones are deleted.</param>
    public AddRecoveryPointWrite(RecoveryPoint point, int maxPerContext)
        : base(point.ContextId, point.Version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerContext, 1);
        Point = point;
        MaxPerContext = maxPerContext;
    }

    /// <summary>The recovery point to add.</summary>
    public RecoveryPoint Point { get; }

    /// <summary>How many recovery points the context keeps.</summary>
    public int MaxPerContext { get; }
}
