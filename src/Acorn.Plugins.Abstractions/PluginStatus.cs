namespace Acorn.Plugins;

/// <summary>Where a plugin is in its life: Discovered → Loading → Active → Stopping → Stopped → Unloaded, or Failed / Blocked.</summary>
public enum PluginStatus
{
    /// <summary>Registered; no code loaded.</summary>
    Discovered,

    /// <summary>Its assembly is being loaded, its state imported and its initialize run.</summary>
    Loading,

    /// <summary>Initialized and running.</summary>
    Active,

    /// <summary>Its state is being exported and its shutdown run.</summary>
    Stopping,

    /// <summary>Shut down; its load context is being unloaded.</summary>
    Stopped,

    /// <summary>Its load context has been collected; it can be loaded again.</summary>
    Unloaded,

    /// <summary>Loading, initializing, shutting down or unloading failed; the host reports why.</summary>
    Failed,

    /// <summary>A plugin it needs is not active; the host names it.</summary>
    Blocked,
}
