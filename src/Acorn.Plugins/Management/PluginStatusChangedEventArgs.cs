namespace Acorn.Plugins.Management;

/// <summary>A plugin changed status.</summary>
/// <param name="previous">The status before.</param>
/// <param name="current">The plugin after the change.</param>
/// <param name="sequence">The change's position among all of this manager's changes, starting at 1.</param>
public sealed class PluginStatusChangedEventArgs(PluginStatus previous, PluginInfo current, long sequence) : EventArgs
{
    /// <summary>The status before.</summary>
    public PluginStatus Previous { get; } = previous;

    /// <summary>The plugin after the change.</summary>
    public PluginInfo Current { get; } = current;

    /// <summary>The change's position among all of this manager's changes, starting at 1; orders events raised on different threads.</summary>
    public long Sequence { get; } = sequence;
}
