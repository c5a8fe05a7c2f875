using System.Text.Json;
using Acorn.Plugins;

namespace Acorn.TestPlugins.Delay;

/// <summary>
/// Awaits <c>delayMilliseconds</c> from its configuration (default 10) in initialize, without holding a thread:
/// the load-all benchmark's model of a plugin that opens a connection or reads a file while it starts.
/// </summary>
public sealed class DelayPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        var delay = context.Configuration.ValueKind == JsonValueKind.Object
            && context.Configuration.TryGetProperty("delayMilliseconds", out var value)
                ? value.GetInt32()
                : 10;
        return Task.Delay(delay, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
