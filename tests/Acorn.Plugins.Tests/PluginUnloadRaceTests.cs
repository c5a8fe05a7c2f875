using System.Text.Json;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>An unload racing a load of one of its dependents never leaves the dependent active without its dependency.</summary>
public sealed class PluginUnloadRaceTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task A_dependent_waiting_for_a_load_slot_counts_as_a_dependent_of_the_plugin_being_unloaded()
    {
        _folders.Add("Hello");
        _folders.AddAs("Greeter", "waiting", "1.0.0", "test.hello");
        _folders.AddAs("Delay", "slow");
        var options = new PluginManagerOptions { MaxParallelLoads = 1, UnloadGcCycles = 20 };
        options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
        options.Configuration["slow"] = JsonDocument.Parse("""{"delayMilliseconds":1500}""").RootElement;
        using var manager = new PluginManager(options, new TestLoggerFactory());
        foreach (var plugin in (await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins)
        {
            manager.Register(plugin);
        }

        Assert.Equal(PluginStatus.Active, (await manager.LoadAsync("test.hello", Token)).Status);
        var slow = manager.LoadAsync("slow", Token);
        while (manager.GetPlugin("slow").Status != PluginStatus.Loading)
        {
            await Task.Delay(5, Token);
        }

        // "waiting" finds test.hello active and queues for the one slot "slow" holds: it is not Loading yet, but on its way.
        var waiting = manager.LoadAsync("waiting", Token);
        await Task.Delay(200, Token);
        var refused = await Assert.ThrowsAsync<PluginHasDependentsException>(() => manager.UnloadAsync("test.hello", cascade: false, Token));

        Assert.Equal(["waiting"], refused.Dependents);
        Assert.Equal(PluginStatus.Active, (await waiting).Status);
        Assert.Equal(PluginStatus.Active, manager.GetPlugin("test.hello").Status);
        Assert.Equal(PluginStatus.Active, (await slow).Status);
    }

    [Fact]
    public async Task A_cascading_unload_during_a_dependents_load_ends_with_both_unloaded_or_both_active()
    {
        for (var round = 0; round < 20; round++)
        {
            using var folders = new PluginFolders();
            folders.Add("Hello");
            folders.AddAs("Greeter", "dependent", "1.0.0", "test.hello");
            var options = new PluginManagerOptions { UnloadGcCycles = 20 };
            options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
            using var manager = new PluginManager(options, new TestLoggerFactory());
            foreach (var plugin in (await PluginDiscovery.DiscoverAsync([folders.Root], Token)).Plugins)
            {
                manager.Register(plugin);
            }

            await manager.LoadAsync("test.hello", Token);
            using var start = new Barrier(2);
            var load = Task.Run(async () => { start.SignalAndWait(Token); return await manager.LoadAsync("dependent", Token); }, Token);
            var unload = Task.Run(async () => { start.SignalAndWait(Token); return await manager.UnloadAsync("test.hello", cascade: true, Token); }, Token);
            await Task.WhenAll(new Task[] { load, unload });

            var dependent = manager.GetPlugin("dependent").Status;
            var hello = manager.GetPlugin("test.hello").Status;
            Assert.True(dependent != PluginStatus.Active || hello == PluginStatus.Active, $"round {round}: dependent {dependent} while test.hello is {hello}");
        }
    }
}
