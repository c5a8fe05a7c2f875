namespace Acorn.Contexts;

/// <summary>Context data or metadata was rejected (not a JSON object, too large, too deep); nothing was changed.</summary>
public sealed class InvalidContextDataException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context that was being written.</param>
    /// <param name="reason">What is wrong with the data.</param>
    public InvalidContextDataException(string contextId, string reason)
        : base(contextId, $"Invalid data for context '{contextId}': {reason}.")
    {
        Reason = reason;
    }

    /// <summary>What is wrong with the data.</summary>
    public string Reason { get; }
}
