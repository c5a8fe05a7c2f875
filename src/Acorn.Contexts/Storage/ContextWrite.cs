namespace Acorn.Contexts;

/// <summary>One version-checked write for an <see cref="IContextStore"/>.</summary>
/// <remarks>
/// The store applies a write only if the context's stored version equals <see cref="ExpectedVersion"/>, so a stale
/// write can never overwrite a newer one, whatever order writes arrive in.
/// </remarks>
public abstract class ContextWrite
{
    private protected ContextWrite(string contextId, long expectedVersion)
    {
        ContextId = contextId;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The context written.</summary>
    public string ContextId { get; }

    /// <summary>The version the store must hold for the write to apply; 0 means the context must not exist.</summary>
    public long ExpectedVersion { get; }
}
