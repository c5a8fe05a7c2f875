namespace Acorn.Contexts;

/// <summary>The base class of every error the context system reports.</summary>
public abstract class ContextException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context the error concerns, if any.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ContextException(string? contextId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ContextId = contextId;
    }

    /// <summary>The id of the context the error concerns, or <see langword="null"/> when it concerns none.</summary>
    public string? ContextId { get; }
}
