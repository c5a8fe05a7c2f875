namespace Acorn.Plugins;

/// <summary>The two kinds of patch a plugin can send to a context.</summary>
public enum PluginContextPatchKind
{
    /// <summary>JSON Merge Patch (RFC 7396): a partial object; a <c>null</c> member removes that member.</summary>
    MergePatch,

    /// <summary>JSON Patch (RFC 6902): an array of add, remove, replace, move, copy and test operations.</summary>
    JsonPatch,
}
