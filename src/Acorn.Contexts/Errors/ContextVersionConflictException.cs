namespace Acorn.Contexts;

/// <summary>A write expected a version that is no longer current; nothing was changed.</summary>
public sealed class ContextVersionConflictException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="expectedVersion">The version the write expected to replace (0: expected no context).</param>
    /// <param name="actualVersion">The current version (0: there is no context).</param>
    public ContextVersionConflictException(string contextId, long expectedVersion, long actualVersion)
        : base(contextId, $"Context '{contextId}' is at version {actualVersion}, not the expected {expectedVersion}; nothing was changed.")
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version the write expected to replace; 0 means it expected no context.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version that was current; 0 means there was no context.</summary>
    public long ActualVersion { get; }
}
