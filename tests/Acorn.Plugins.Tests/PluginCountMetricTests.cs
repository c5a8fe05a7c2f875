using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Acorn.Plugins.Tests;

/// <summary>Runs alone: the plugin count has no plugin tag, so any other test loading plugins at the same time would change it.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class RunsAlone;

[Collection(typeof(RunsAlone))]
public sealed class PluginCountMetricTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    /// <summary>The net change per status since the collector started: what a dashboard summing the counter shows.</summary>
    private static Dictionary<string, long> Net(MetricCollector<long> counts) =>
        counts.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["status"]!)
            .Select(g => (Status: g.Key, Sum: g.Sum(m => m.Value)))
            .Where(g => g.Sum != 0)
            .ToDictionary(g => g.Status, g => g.Sum);

    [Fact]
    public async Task Plugin_count_moves_each_plugin_from_status_to_status_and_adds_up_to_the_registered_plugins()
    {
        _folders.AddAs("Greeter", "count.ok");
        _folders.AddAs("ThrowsOnInitialize", "count.bad");
        using var counts = new MetricCollector<long>(null, "Acorn.Plugins", "acorn.plugins.count");
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], TestContext.Current.CancellationToken);
        using var manager = new PluginManager(new PluginManagerOptions { UnloadGcCycles = 20 }, new TestLoggerFactory());
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        Assert.Equal(new Dictionary<string, long> { ["discovered"] = 2 }, Net(counts));

        await manager.LoadAllAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new Dictionary<string, long> { ["active"] = 1, ["failed"] = 1 }, Net(counts));

        await manager.UnloadAsync("count.ok", cascade: false, TestContext.Current.CancellationToken);
        await manager.WaitForCollectionAsync("count.ok", TestContext.Current.CancellationToken);
        Assert.Equal(new Dictionary<string, long> { ["failed"] = 1, ["unloaded"] = 1 }, Net(counts));
    }
}
