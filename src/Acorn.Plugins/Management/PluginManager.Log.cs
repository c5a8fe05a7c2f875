using Microsoft.Extensions.Logging;

namespace Acorn.Plugins.Management;

public sealed partial class PluginManager
{
    /// <summary>Log messages of the plugin manager: event ids 3000-3099.</summary>
    private static partial class Log
    {
        [LoggerMessage(3000, LogLevel.Information, "Plugin '{PluginId}' {Version} is active.")]
        public static partial void Activated(ILogger logger, string pluginId, string version);

        [LoggerMessage(3001, LogLevel.Error, "Plugin '{PluginId}' failed: {Reason}")]
        public static partial void Failed(ILogger logger, string pluginId, string reason);

        [LoggerMessage(3002, LogLevel.Warning, "Plugin '{PluginId}' is blocked by '{Dependency}': {Reason}")]
        public static partial void Blocked(ILogger logger, string pluginId, string dependency, string reason);

        [LoggerMessage(3003, LogLevel.Information, "Plugin '{PluginId}' is unloaded.")]
        public static partial void Unloaded(ILogger logger, string pluginId);

        [LoggerMessage(3004, LogLevel.Warning, "Plugin '{PluginId}' did not shut down cleanly: {Reason}")]
        public static partial void ShutdownProblem(ILogger logger, string pluginId, string reason);

        [LoggerMessage(3005, LogLevel.Error, "Plugin '{PluginId}' leaked its load context: {Reason}")]
        public static partial void Leaked(ILogger logger, string pluginId, string reason);

        [LoggerMessage(3006, LogLevel.Error, "A StatusChanged handler threw for plugin '{PluginId}'.")]
        public static partial void HandlerThrew(ILogger logger, string pluginId, Exception exception);
    }
}
