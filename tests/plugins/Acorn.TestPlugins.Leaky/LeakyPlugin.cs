using Acorn.Plugins;

namespace Acorn.TestPlugins.Leaky;

/// <summary>Subscribes to a host-wide event and never unsubscribes, so the host keeps its load context alive.</summary>
public sealed class LeakyPlugin : IPlugin
{
    /// <inheritdoc/>
    public Task InitializeAsync(IPluginContext context, CancellationToken cancellationToken)
    {
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnProcessExit(object? sender, EventArgs e) => GC.KeepAlive(this);
}
