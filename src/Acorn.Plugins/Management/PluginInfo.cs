namespace Acorn.Plugins.Management;

/// <summary>A snapshot of one plugin's status.</summary>
/// <param name="Descriptor">The plugin.</param>
/// <param name="Status">Its status when the snapshot was taken.</param>
/// <param name="Reason">For <see cref="PluginStatus.Failed"/> and <see cref="PluginStatus.Blocked"/>, why.</param>
/// <param name="BlockedBy">For <see cref="PluginStatus.Blocked"/>, the dependency it waits for.</param>
public sealed record class PluginInfo(PluginDescriptor Descriptor, PluginStatus Status, string? Reason, string? BlockedBy)
{
    /// <summary>The plugin's id.</summary>
    public string Id => Descriptor.Id;

    /// <summary>
    /// Why a load context of this plugin that was unloaded earlier was never collected, or <see langword="null"/>. It stays
    /// reported after the plugin is loaded again, because the leaked code stays in memory until the process ends.
    /// </summary>
    public string? Leak { get; init; }
}
