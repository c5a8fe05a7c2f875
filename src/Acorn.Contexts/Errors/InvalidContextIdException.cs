using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <summary>A context id breaks the id rules of <see cref="Contexts.ContextId"/>.</summary>
public sealed class InvalidContextIdException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The invalid id; <see langword="null"/> when none was given.</param>
    /// <param name="reason">Which rule it breaks.</param>
    /// <remarks>The message quotes the id shortened and with control characters escaped, so it is safe to log.</remarks>
    public InvalidContextIdException(string? contextId, string reason)
        : base(contextId, contextId is null ? $"Invalid context id (null): {reason}." : $"Invalid context id '{Quote(contextId)}': {reason}.")
    {
        Reason = reason;
    }

    /// <summary>Which rule the id breaks.</summary>
    public string Reason { get; }

    private static string Quote(string id) => LogText.Escape(id.Length <= 64 ? id : string.Concat(id.AsSpan(0, 61), "..."));
}
