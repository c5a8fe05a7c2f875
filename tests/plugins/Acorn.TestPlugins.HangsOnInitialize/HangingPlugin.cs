using Acorn.Plugins;

namespace Acorn.TestPlugins.HangsOnInitialize;

/// <summary>Never finishes initializing and ignores cancellation, as a plugin stuck on a dead connection would.</summary>
public sealed class HangingPlugin : IPlugin
{
    private static readonly TaskCompletionSource Never = new();

    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken) => Never.Task;

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
