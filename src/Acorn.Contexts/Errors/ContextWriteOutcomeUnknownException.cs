namespace Acorn.Contexts;

/// <summary>A write failed in a way that leaves its outcome unknown: it may or may not have taken effect.</summary>
/// <remarks>
/// <para>
/// The store reported an error after the write may already have been made durable: a failed <c>COMMIT</c> or fsync,
/// a connection lost after the request was sent, a cluster call that timed out. Unlike its base class, this exception
/// does <b>not</b> promise that nothing changed.
/// </para>
/// <para>
/// Find out by reading the context again: its version tells whether the write happened (a write sets version =
/// previous + 1, and versions never repeat for an id). <see cref="ContextManager"/> reads the context back from the
/// store before it throws this, so a read that follows shows what the store holds, and later writes continue from
/// whatever was committed. Only if that read-back fails too (the store is unreachable) may a read still show the state
/// before the write; the next write to the context then reads it back first. Retrying blindly is safe
/// only for writes that are idempotent (a replacement with the same content, a delete); a read-modify-write retried
/// blindly may apply twice. Over HTTP this is a <c>503</c> whose problem body says the write may have happened.
/// </para>
/// </remarks>
public sealed class ContextWriteOutcomeUnknownException : ContextStoreException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context written, if any.</param>
    /// <param name="message">What failed, saying that the write may have taken effect.</param>
    /// <param name="innerException">The store's own error.</param>
    public ContextWriteOutcomeUnknownException(string? contextId, string message, Exception? innerException = null)
        : base(contextId, message, innerException)
    {
    }
}
