namespace Acorn.Contexts.Patching;

/// <summary>The six operations of RFC 6902.</summary>
internal enum JsonPatchOperationKind
{
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}
