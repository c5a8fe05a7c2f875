using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace HelloPlugin;

/// <summary>The smallest useful plugin: reads its configuration, asks the host a question, logs, and stops cleanly.</summary>
public sealed partial class HelloWorldPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var greeting = context.Configuration.ValueKind == System.Text.Json.JsonValueKind.Object
            && context.Configuration.TryGetProperty("greeting", out var value)
            ? value.GetString() ?? "Hello"
            : "Hello";

        // Needs the plugins.query grant; without it this throws PluginPermissionException and the plugin is Failed.
        var status = context.Plugins.GetStatus(context.PluginId);
        Greeted(context.Logger, greeting, context.PluginId, status?.ToString() ?? "unknown");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "{Greeting} from {PluginId} (status while initializing: {Status})")]
    private static partial void Greeted(ILogger logger, string greeting, string pluginId, string status);
}
