namespace Acorn.Contexts;

/// <summary>The context does not exist (or has expired).</summary>
public sealed class ContextNotFoundException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The missing context.</param>
    public ContextNotFoundException(string contextId)
        : base(contextId, $"Context '{contextId}' does not exist.")
    {
    }
}
