using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Acorn.Plugins.Tests;

public sealed class PluginMetricsTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Initialize_duration_is_recorded_per_plugin_with_its_outcome()
    {
        // Ids unique to this test: the meter is process-wide and other tests load plugins in parallel.
        _folders.AddAs("Greeter", "metrics.ok");
        _folders.AddAs("ThrowsOnInitialize", "metrics.bad");
        using var durations = new MetricCollector<double>(null, "Acorn.Plugins", "acorn.plugins.initialize.duration");
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], TestContext.Current.CancellationToken);
        using var manager = new PluginManager(new PluginManagerOptions(), new TestLoggerFactory());
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        await manager.LoadAllAsync(TestContext.Current.CancellationToken);

        var ours = durations.GetMeasurementSnapshot()
            .Where(m => m.Tags["plugin"] is "metrics.ok" or "metrics.bad")
            .Select(m => ((string)m.Tags["plugin"]!, (string)m.Tags["outcome"]!))
            .Order()
            .ToList();
        Assert.Equal([("metrics.bad", "failed"), ("metrics.ok", "active")], ours);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
    }
}
