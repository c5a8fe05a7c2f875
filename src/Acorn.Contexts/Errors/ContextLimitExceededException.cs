namespace Acorn.Contexts;

/// <summary>A limit on the number of contexts (stored or active) would be exceeded; nothing was changed.</summary>
public sealed class ContextLimitExceededException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context whose creation or activation was refused.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="what">What is limited, for the message ("contexts", "active contexts").</param>
    public ContextLimitExceededException(string contextId, int limit, string what)
        : base(contextId, $"Cannot add '{contextId}': the limit of {limit} {what} is reached.")
    {
        Limit = limit;
    }

    /// <summary>The limit that was reached.</summary>
    public int Limit { get; }
}
