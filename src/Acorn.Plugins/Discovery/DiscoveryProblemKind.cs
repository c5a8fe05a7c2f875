namespace Acorn.Plugins.Discovery;

/// <summary>Why discovery refused a folder.</summary>
public enum DiscoveryProblemKind
{
    /// <summary>A configured plugin root does not exist.</summary>
    RootNotFound,

    /// <summary>The folder, its manifest or its entry assembly resolves outside the plugin root (symlink or '..').</summary>
    PathEscapesRoot,

    /// <summary>The <c>plugin.json</c> is not valid; the problem lists each bad field.</summary>
    InvalidManifest,

    /// <summary>The entry assembly named in the manifest is not in the folder.</summary>
    EntryAssemblyNotFound,

    /// <summary>Two folders declare the same plugin id; neither is loaded.</summary>
    DuplicateId,
}
