using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>Waits for a status change that happens after the caller's own wait has ended (a load whose last caller gave up).</summary>
internal static class PluginStatusWaiter
{
    /// <summary>Completes with the plugin's snapshot the first time it changes to <paramref name="status"/>; call it before causing the change.</summary>
    public static Task<PluginInfo> WhenStatusAsync(this PluginManager manager, string pluginId, PluginStatus status, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource<PluginInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.StatusChanged += (_, change) =>
        {
            if (change.Current.Id == pluginId && change.Current.Status == status)
            {
                reached.TrySetResult(change.Current);
            }
        };

        // Bounded, so that a change that never comes fails the test instead of hanging it.
        return reached.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }
}
