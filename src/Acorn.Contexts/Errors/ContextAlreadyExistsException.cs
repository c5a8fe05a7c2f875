namespace Acorn.Contexts;

/// <summary>A context with that id already exists.</summary>
public sealed class ContextAlreadyExistsException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The id that is taken.</param>
    public ContextAlreadyExistsException(string contextId)
        : base(contextId, $"Context '{contextId}' already exists.")
    {
    }
}
