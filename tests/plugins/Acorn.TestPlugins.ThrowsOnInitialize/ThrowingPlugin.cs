using Acorn.Plugins;

namespace Acorn.TestPlugins.ThrowsOnInitialize;

/// <summary>Fails its initialization, as a broken plugin would.</summary>
public sealed class ThrowingPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("test.throws refuses to start");

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
