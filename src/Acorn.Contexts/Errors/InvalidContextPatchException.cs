namespace Acorn.Contexts;

/// <summary>A patch document is malformed (not JSON, not a list of operations, an unknown op, a bad JSON Pointer...).</summary>
public sealed class InvalidContextPatchException : ContextException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="reason">What is wrong with the document.</param>
    /// <param name="operationIndex">The malformed JSON Patch operation's position, from 0; <see langword="null"/> when the fault is the document's.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public InvalidContextPatchException(string reason, int? operationIndex = null, Exception? innerException = null)
        : base(null, operationIndex is { } index ? $"Invalid patch: operation {index}: {reason}." : $"Invalid patch: {reason}.", innerException)
    {
        Reason = reason;
        OperationIndex = operationIndex;
    }

    /// <summary>What is wrong with the document.</summary>
    public string Reason { get; }

    /// <summary>The malformed JSON Patch operation's position, from 0; <see langword="null"/> when the fault is the document's.</summary>
    public int? OperationIndex { get; }
}
