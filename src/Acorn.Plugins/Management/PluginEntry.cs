using Acorn.Plugins.Loading;

namespace Acorn.Plugins.Management;

/// <summary>The manager's mutable record of one plugin; every field is read and written under the manager's gate.</summary>
internal sealed class PluginEntry(PluginDescriptor descriptor)
{
    public PluginDescriptor Descriptor { get; } = descriptor;

    public PluginStatus Status { get; set; } = PluginStatus.Discovered;

    public string? Reason { get; set; }

    public string? BlockedBy { get; set; }

    public LoadedPlugin? Loaded { get; set; }

    /// <summary>
    /// The load or unload in progress, so that concurrent callers share it instead of racing it; also a delete of the
    /// plugin's saved state, which counts as an unload so that loads wait for it.
    /// </summary>
    public PluginTransition? Transition { get; set; }

    /// <summary>The check that the last unloaded load context was collected, while it runs; it completes once its outcome is recorded.</summary>
    public Task? Collection { get; set; }

    /// <summary>Why an earlier load context of this plugin was not collected; kept when the plugin is loaded again, because that code stays in memory.</summary>
    public string? Leak { get; set; }

    public PluginInfo Snapshot() => new(Descriptor, Status, Reason, BlockedBy) { Leak = Leak };
}
