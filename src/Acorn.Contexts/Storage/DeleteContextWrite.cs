namespace Acorn.Contexts;

/// <summary>Deletes a context and its recovery points.</summary>
public sealed class DeleteContextWrite : ContextWrite
{
    /// <summary>Initializes the write.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="expectedVersion">The version being deleted.</param>
    public DeleteContextWrite(string contextId, long expectedVersion)
        : base(contextId, expectedVersion)
    {
    }
}
