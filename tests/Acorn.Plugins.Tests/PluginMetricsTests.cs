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

    [Fact]
    public async Task A_leaked_unload_is_counted_for_that_plugin_and_a_clean_one_is_not()
    {
        _folders.AddAs("Leaky", "metrics.leaky");
        _folders.AddAs("Greeter", "metrics.clean");
        using var leaks = new MetricCollector<long>(null, "Acorn.Plugins", "acorn.plugins.unload.leaked");
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], TestContext.Current.CancellationToken);
        using var manager = new PluginManager(new PluginManagerOptions { UnloadGcCycles = 3 }, new TestLoggerFactory());
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        await manager.LoadAllAsync(TestContext.Current.CancellationToken);
        await manager.UnloadAllAsync(TestContext.Current.CancellationToken);
        await manager.WaitForCollectionAsync("metrics.leaky", TestContext.Current.CancellationToken);
        await manager.WaitForCollectionAsync("metrics.clean", TestContext.Current.CancellationToken);

        var ours = leaks.GetMeasurementSnapshot().Where(m => m.Tags["plugin"] is "metrics.leaky" or "metrics.clean").ToList();
        var leak = Assert.Single(ours);
        Assert.Equal(("metrics.leaky", 1L), ((string)leak.Tags["plugin"]!, leak.Value));
        Assert.Equal(PluginStatus.Unloaded, manager.GetPlugin("metrics.clean").Status);
    }
}
