namespace Acorn.Contexts;

/// <summary>The two kinds of patch a <see cref="ContextPatch"/> can be.</summary>
public enum ContextPatchKind
{
    /// <summary>JSON Merge Patch (RFC 7396, <c>application/merge-patch+json</c>): a partial document; <c>null</c> removes a member.</summary>
    MergePatch,

    /// <summary>JSON Patch (RFC 6902, <c>application/json-patch+json</c>): a list of add, remove, replace, move, copy and test operations.</summary>
    JsonPatch,
}
