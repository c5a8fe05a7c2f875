using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acorn.Plugins.Hosting;

/// <summary>Discovers and loads the configured plugins when the host starts, and unloads them, dependents first, when it stops (waiting for their collection checks).</summary>
/// <remarks>A refused folder or a failed plugin is logged and never stops the host; the manager keeps each plugin's status.</remarks>
internal sealed partial class PluginHostedService(PluginManager manager, IOptions<PluginManagerOptions> options, ILogger<PluginHostedService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var discovered = await PluginDiscovery.DiscoverAsync(options.Value.Roots, cancellationToken).ConfigureAwait(false);
        foreach (var problem in discovered.Problems)
        {
            Log.Refused(logger, problem.Kind, problem.Path, problem.Message);
        }

        var known = manager.GetPlugins().Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var plugin in discovered.Plugins.Where(p => !known.Contains(p.Id)))
        {
            manager.Register(plugin);
        }

        var results = await manager.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        Log.Started(logger, results.Count(p => p.Status == PluginStatus.Active), results.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var plugins = await manager.UnloadAllAsync(cancellationToken).ConfigureAwait(false);

        // Waited for here, so that a plugin that leaks is still reported before the host exits.
        foreach (var plugin in plugins)
        {
            await manager.WaitForCollectionAsync(plugin.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Log messages of the plugin hosted service: event ids 3100-3199.</summary>
    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Warning, "Plugin folder refused ({Kind}) at {Path}: {Message}")]
        public static partial void Refused(ILogger logger, DiscoveryProblemKind kind, string path, string message);

        [LoggerMessage(3101, LogLevel.Information, "{Active} of {Total} plugins are active.")]
        public static partial void Started(ILogger logger, int active, int total);
    }
}
