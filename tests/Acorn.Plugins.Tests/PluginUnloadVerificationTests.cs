using System.Collections.Concurrent;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>The check that an unloaded context was collected runs after the unload returns, never on the caller's path.</summary>
public sealed class PluginUnloadVerificationTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly ConcurrentQueue<PluginStatusChangedEventArgs> _changes = new();

    // Enough cycles that a leaking context keeps its check running long after the unload has returned.
    private readonly PluginManagerOptions _options = new() { UnloadGcCycles = 200 };

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginManager> ManagerAsync()
    {
        _options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
        var manager = new PluginManager(_options, new TestLoggerFactory());
        manager.StatusChanged += (_, change) => _changes.Enqueue(change);
        foreach (var plugin in (await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    private PluginStatus[] StatusesOf(string pluginId) =>
        [.. _changes.Where(c => c.Current.Id == pluginId).OrderBy(c => c.Sequence).Select(c => c.Current.Status)];

    [Fact]
    public async Task Unload_returns_stopped_and_the_leak_is_found_afterwards()
    {
        _folders.Add("Leaky");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.leaky", Token);

        var stopped = await manager.UnloadAsync("test.leaky", cascade: false, Token);
        var afterwards = await manager.WaitForCollectionAsync("test.leaky", Token);

        // Before the fix the unload itself ran all 200 cycles and returned Failed.
        Assert.Equal((PluginStatus.Stopped, null), (stopped.Status, stopped.Reason));
        Assert.Equal(PluginStatus.Failed, afterwards.Status);
        Assert.StartsWith("its load context was not collected after 200 garbage collections", afterwards.Reason, StringComparison.Ordinal);
        Assert.Equal(afterwards.Reason, afterwards.Leak);
        Assert.Equal([PluginStatus.Loading, PluginStatus.Active, PluginStatus.Stopping, PluginStatus.Stopped, PluginStatus.Failed], StatusesOf("test.leaky"));
    }

    [Fact]
    public async Task A_well_behaved_plugin_goes_from_stopped_to_unloaded()
    {
        _folders.Add("Hello");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.hello", Token);

        var stopped = await manager.UnloadAsync("test.hello", cascade: false, Token);
        var afterwards = await manager.WaitForCollectionAsync("test.hello", Token);

        Assert.Equal(PluginStatus.Stopped, stopped.Status);
        Assert.Equal((PluginStatus.Unloaded, null, null), (afterwards.Status, afterwards.Reason, afterwards.Leak));
        Assert.Equal([PluginStatus.Loading, PluginStatus.Active, PluginStatus.Stopping, PluginStatus.Stopped, PluginStatus.Unloaded], StatusesOf("test.hello"));
    }

    [Fact]
    public async Task Reload_starts_a_fresh_context_without_waiting_for_the_check_and_the_old_leak_stays_reported()
    {
        _folders.Add("Leaky");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.leaky", Token);

        var reloaded = await manager.ReloadAsync("test.leaky", Token);
        var afterwards = await manager.WaitForCollectionAsync("test.leaky", Token);
        var reloadedAgain = await manager.ReloadAsync("test.leaky", Token);

        Assert.Equal(PluginStatus.Active, reloaded.Status);
        Assert.Equal((PluginStatus.Active, null), (afterwards.Status, afterwards.Reason));
        Assert.StartsWith("its load context was not collected after 200 garbage collections", afterwards.Leak, StringComparison.Ordinal);
        Assert.Equal(afterwards.Leak, reloadedAgain.Leak);

        // The leak found after the reload never overwrote the new instance's status.
        Assert.DoesNotContain(PluginStatus.Failed, StatusesOf("test.leaky"));
    }

    [Fact]
    public async Task A_check_that_ends_after_a_second_unload_does_not_decide_the_second_ones_outcome()
    {
        _folders.Add("Leaky");
        _folders.Add("Hello");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.leaky", Token);
        await manager.UnloadAsync("test.leaky", cascade: false, Token);
        await manager.LoadAsync("test.leaky", Token);

        // Both contexts leak; each check may only ever decide the status its own unload left.
        var second = await manager.UnloadAsync("test.leaky", cascade: false, Token);
        var afterwards = await manager.WaitForCollectionAsync("test.leaky", Token);

        Assert.Equal(PluginStatus.Stopped, second.Status);
        Assert.Equal(PluginStatus.Failed, afterwards.Status);
        Assert.Single(StatusesOf("test.leaky"), s => s == PluginStatus.Failed);
    }
}
