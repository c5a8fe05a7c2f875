using Acorn.Plugins;
using Microsoft.Extensions.Logging;

namespace Acorn.TestPlugins.CallsBack;

/// <summary>Asks the host about itself and its dependency from inside its initialize: the host must answer, not deadlock.</summary>
public sealed partial class CallsBackPlugin : IPlugin
{
    /// <inheritdoc/>
    public async Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        // Hop off the caller's thread first, so the answer cannot come from a lock the caller would re-enter.
        await Task.Yield();
        var self = context.Plugins.GetStatus(context.PluginId);
        var hello = context.Plugins.GetStatus("test.hello");
        var ghost = context.Plugins.GetStatus("nobody");
        Saw(context.Logger, self?.ToString() ?? "none", hello?.ToString() ?? "none", ghost?.ToString() ?? "none");
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "self={Self} hello={Hello} nobody={Ghost}")]
    private static partial void Saw(ILogger logger, string self, string hello, string ghost);
}
