namespace Acorn.Orleans;

/// <summary>A JSON Patch operation that could not apply in the grain, as it crosses the grain boundary (see <c>ContextPatchFailedException</c>).</summary>
/// <param name="OperationIndex">The failed operation's position in the patch document, from 0.</param>
/// <param name="Operation">The failed operation's name.</param>
/// <param name="Path">The JSON Pointer the failure is about.</param>
/// <param name="Reason">Why the operation could not be applied.</param>
[GenerateSerializer, Immutable]
public sealed record ContextPatchFailure(
    [property: Id(0)] int OperationIndex, [property: Id(1)] string Operation, [property: Id(2)] string Path, [property: Id(3)] string Reason);
