namespace Acorn.Contexts;

/// <summary>A context id breaks the id rules of <see cref="Contexts.ContextId"/>.</summary>
public sealed class InvalidContextIdException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The invalid id.</param>
    /// <param name="reason">Which rule it breaks.</param>
    public InvalidContextIdException(string contextId, string reason)
        : base(contextId, $"Invalid context id '{Shorten(contextId)}': {reason}.")
    {
        Reason = reason;
    }

    /// <summary>Which rule the id breaks.</summary>
    public string Reason { get; }

    private static string Shorten(string id) => id.Length <= 64 ? id : string.Concat(id.AsSpan(0, 61), "...");
}
