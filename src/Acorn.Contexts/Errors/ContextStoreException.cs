namespace Acorn.Contexts;

/// <summary>The store failed to read or write; a failed write changed nothing.</summary>
/// <remarks>
/// The inner exception carries the store's own error (for example SQLite's) for diagnosis. When the store cannot tell
/// whether a write took effect, the exception is the derived <see cref="ContextWriteOutcomeUnknownException"/>: catch
/// that type first where the difference matters.
/// </remarks>
public class ContextStoreException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context concerned, if any.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The store's own error.</param>
    public ContextStoreException(string? contextId, string message, Exception? innerException = null)
        : base(contextId, message, innerException)
    {
    }
}
