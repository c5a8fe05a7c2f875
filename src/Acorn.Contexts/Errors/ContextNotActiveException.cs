namespace Acorn.Contexts;

/// <summary>The operation needs the context to be active in the <see cref="ContextAdapter"/>, and it is not.</summary>
public sealed class ContextNotActiveException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The inactive context.</param>
    public ContextNotActiveException(string contextId)
        : base(contextId, $"Context '{contextId}' is not active; activate it first.")
    {
    }
}
