namespace Acorn.Contexts;

/// <summary>
/// A JSON Patch operation could not be applied to a context's data (a failed <c>test</c>, a path that does not exist,
/// an index out of range); the whole patch was refused and nothing was changed.
/// </summary>
public sealed class ContextPatchFailedException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="contextId">The context the patch was applied to.</param>
    /// <param name="operationIndex">The failed operation's position in the patch document, from 0.</param>
    /// <param name="operation">The failed operation's name (<c>add</c>, <c>remove</c>, <c>test</c>...).</param>
    /// <param name="path">The JSON Pointer the failure is about: the operation's <c>path</c>, or its <c>from</c>.</param>
    /// <param name="reason">Why the operation could not be applied.</param>
    public ContextPatchFailedException(string contextId, int operationIndex, string operation, string path, string reason)
        : base(contextId, $"Patch operation {operationIndex} ({operation} '{path}') cannot be applied to context '{contextId}': {reason}; nothing was changed.")
    {
        OperationIndex = operationIndex;
        Operation = operation;
        Path = path;
        Reason = reason;
    }

    /// <summary>The failed operation's position in the patch document, from 0.</summary>
    public int OperationIndex { get; }

    /// <summary>The failed operation's name (<c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> or <c>test</c>).</summary>
    public string Operation { get; }

    /// <summary>The JSON Pointer the failure is about: the operation's <c>path</c>, or its <c>from</c> when that is missing.</summary>
    public string Path { get; }

    /// <summary>Why the operation could not be applied.</summary>
    public string Reason { get; }
}
