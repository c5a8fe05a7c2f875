using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>TypeDescriptor's caches, which .NET 10 never clears, must not keep a plugin alive, and when the host's copy does the leak says so.</summary>
public sealed class PluginTypeDescriptorTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly TestLoggerFactory _logs = new();

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginManager> ManagerAsync()
    {
        var manager = new PluginManager(new PluginManagerOptions { UnloadGcCycles = 20 }, _logs);
        foreach (var plugin in (await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    [Fact]
    public async Task A_plugin_that_serializes_its_own_types_with_its_own_newtonsoft_12_unloads()
    {
        // The host has Newtonsoft.Json 13 loaded and in use; the plugin ships and loads its own 12.
        Assert.Equal("{\"host\":13}", Newtonsoft.Json.JsonConvert.SerializeObject(new { host = typeof(Newtonsoft.Json.JsonConvert).Assembly.GetName().Version!.Major }));
        _folders.Add("Newtonsoft12");
        using var manager = await ManagerAsync();
        Assert.Equal(PluginStatus.Active, (await manager.LoadAsync("test.newtonsoft12", Token)).Status);

        await manager.UnloadAsync("test.newtonsoft12", cascade: false, Token);
        var result = await manager.WaitForCollectionAsync("test.newtonsoft12", Token);

        Assert.Equal(
            ["""Newtonsoft.Json 12 round-tripped greeting with 3 stars as {"Title":"greeting","Stars":3,"Tags":["a","b"]}"""],
            _logs.MessagesOf("Acorn.Plugins.test.newtonsoft12"));

        // Before the fix Newtonsoft asked the host's TypeDescriptor about Note, which kept the context forever: Failed, leaked.
        Assert.True(result.Status == PluginStatus.Unloaded, $"{result.Status}: {result.Reason}");
        Assert.Null(result.Leak);
    }

    [Fact]
    public async Task A_plugin_whose_types_the_hosts_type_descriptor_holds_is_reported_with_that_cause()
    {
        _folders.Add("Validates");
        using var manager = await ManagerAsync();
        Assert.Equal(PluginStatus.Active, (await manager.LoadAsync("test.validates", Token)).Status);

        await manager.UnloadAsync("test.validates", cascade: false, Token);
        var result = await manager.WaitForCollectionAsync("test.validates", Token);

        Assert.Equal(["settings valid: True (0 problems)"], _logs.MessagesOf("Acorn.Plugins.test.validates"));
        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith(
            "its load context was not collected after 20 garbage collections: the host's TypeDescriptor (System.ComponentModel) still caches its types ",
            result.Reason,
            StringComparison.Ordinal);
        Assert.Contains("Acorn.TestPlugins.Validates.Settings", result.Reason, StringComparison.Ordinal);
        Assert.Contains("dotnet/runtime#30656", result.Reason, StringComparison.Ordinal);
    }
}
