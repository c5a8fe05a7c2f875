using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Loading;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Plugins.Tests;

public sealed class PluginLoaderTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginDescriptor> DiscoverOneAsync(string plugin)
    {
        _folders.Add(plugin);
        var result = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        Assert.Empty(result.Problems);
        return result.Plugins.Single(p => p.Directory.EndsWith(plugin.ToLowerInvariant(), StringComparison.Ordinal));
    }

    internal static PluginContext Context(PluginDescriptor descriptor, FakeLogger logger, string? configuration = null, params string[] grants) =>
        new(
            descriptor.Manifest,
            logger,
            configuration is null ? default : JsonDocument.Parse(configuration).RootElement.Clone(),
            grants,
            _ => null);

    [Fact]
    public async Task Hello_plugin_loads_in_its_own_context_and_initializes()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var logger = new FakeLogger();

        var loaded = PluginLoader.Load(descriptor);
        await loaded.Instance.InitializeAsync(Context(descriptor, logger, """{"greeting":"Howdy"}""", PluginCapabilities.ContextsRead), Token);

        Assert.Equal("Acorn.TestPlugins.Hello.HelloPlugin", loaded.Instance.GetType().FullName);
        var pluginContext = AssemblyLoadContext.GetLoadContext(loaded.Instance.GetType().Assembly)!;
        Assert.True(pluginContext.IsCollectible);
        Assert.Equal("Acorn.Plugin:test.hello", pluginContext.Name);
        var messages = logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Equal("Howdy from test.hello, initialization 1", messages[0]);
        await loaded.Instance.ShutdownAsync(Token);
        loaded.Unload();
    }

    [Fact]
    public async Task Contract_assemblies_come_from_the_host_and_the_rest_is_private()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var logger = new FakeLogger();
        var loaded = PluginLoader.Load(descriptor);

        // Initializing makes the plugin resolve IPluginContext and ILogger; both must be the host's types.
        await loaded.Instance.InitializeAsync(Context(descriptor, logger, null, PluginCapabilities.ContextsRead), Token);

        Assert.IsAssignableFrom<IStatefulPlugin>(loaded.Instance);
        var names = loaded.PrivateAssemblies.Select(a => a.GetName().Name).ToList();
        Assert.Equal(["Acorn.TestPlugins.Hello"], names);
        Assert.True(File.Exists(Path.Combine(descriptor.Directory, "Microsoft.Extensions.Logging.Abstractions.dll")), "the plugin ships its own copy, which must be ignored");
        loaded.Unload();
    }

    [Fact]
    public async Task Capability_beyond_the_grant_throws_a_clear_permission_error()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var logger = new FakeLogger();
        var loaded = PluginLoader.Load(descriptor);

        // The manifest asks only for contexts.read; the host grants both, so write stays refused.
        await loaded.Instance.InitializeAsync(Context(descriptor, logger, null, PluginCapabilities.ContextsRead, PluginCapabilities.ContextsWrite), Token);

        Assert.Equal(
            "write refused: Plugin 'test.hello' was not granted the capability 'contexts.write'. Ask for it in plugin.json \"capabilities\" and grant it in the host's plugin options.",
            logger.Collector.LatestRecord.Message);
        loaded.Unload();
    }

    [Fact]
    public async Task Capability_asked_for_but_not_granted_by_the_host_fails_initialize()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var loaded = PluginLoader.Load(descriptor);

        var error = await Assert.ThrowsAsync<PluginPermissionException>(
            () => loaded.Instance.InitializeAsync(Context(descriptor, new FakeLogger()), Token));

        Assert.Equal("test.hello", error.PluginId);
        Assert.Equal(PluginCapabilities.ContextsRead, error.Capability);
        loaded.Unload();
    }

    [Fact]
    public async Task Named_entry_type_is_used_when_the_assembly_has_two()
    {
        var descriptor = await DiscoverOneAsync("Greeter");
        var logger = new FakeLogger();
        var loaded = PluginLoader.Load(descriptor);

        await loaded.Instance.InitializeAsync(Context(descriptor, logger), Token);

        Assert.Equal("Acorn.TestPlugins.Greeter.GreeterPlugin", loaded.Instance.GetType().FullName);
        Assert.Equal("greeter started after test.hello", logger.Collector.LatestRecord.Message);
        loaded.Unload();
    }

    [Fact]
    public async Task Two_entry_types_without_a_name_is_a_load_error()
    {
        var folder = _folders.Add("Greeter");
        var manifestPath = Path.Combine(folder, "plugin.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"entryType\": \"Acorn.TestPlugins.Greeter.GreeterPlugin\",", "", StringComparison.Ordinal));
        var descriptor = Assert.Single((await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins);
        Assert.Null(descriptor.Manifest.EntryType);

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(descriptor));

        Assert.Equal(
            "Plugin 'test.greeter' could not be loaded: 'Acorn.TestPlugins.Greeter' has 2 IPlugin classes (Acorn.TestPlugins.Greeter.GreeterPlugin, Acorn.TestPlugins.Greeter.SpareGreeterPlugin); name one in \"entryType\"",
            error.Message);
    }

    [Fact]
    public async Task Entry_type_that_does_not_exist_is_a_load_error()
    {
        var folder = _folders.Add("Greeter");
        var manifestPath = Path.Combine(folder, "plugin.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("GreeterPlugin\"", "Nope\"", StringComparison.Ordinal));
        var descriptor = Assert.Single((await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins);

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(descriptor));

        Assert.Contains("entry type 'Acorn.TestPlugins.Greeter.Nope' was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_entry_assembly_is_a_load_error()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        File.WriteAllText(descriptor.EntryAssemblyPath, "this is not a PE file");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(descriptor));

        Assert.Contains("is not a .NET assembly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throwing_initialize_surfaces_the_plugins_exception()
    {
        var descriptor = await DiscoverOneAsync("ThrowsOnInitialize");
        var loaded = PluginLoader.Load(descriptor);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => loaded.Instance.InitializeAsync(Context(descriptor, new FakeLogger()), Token));

        Assert.Equal("test.throws refuses to start", error.Message);
        loaded.Unload();
    }

    [Fact]
    public async Task State_survives_unload_and_a_fresh_load()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var first = PluginLoader.Load(descriptor);
        await first.Instance.InitializeAsync(Context(descriptor, new FakeLogger(), null, PluginCapabilities.ContextsRead), Token);
        var state = await ((IStatefulPlugin)first.Instance).ExportStateAsync(Token);
        await first.Instance.ShutdownAsync(Token);
        first.Unload();

        var second = PluginLoader.Load(descriptor);
        await ((IStatefulPlugin)second.Instance).ImportStateAsync(state, Token);
        var logger = new FakeLogger();
        await second.Instance.InitializeAsync(Context(descriptor, logger, null, PluginCapabilities.ContextsRead), Token);

        Assert.NotSame(first, second);
        Assert.Equal("Hello from test.hello, initialization 2", logger.Collector.GetSnapshot()[0].Message);
        second.Unload();
    }

    [Fact]
    public async Task A_plugin_loads_an_abstractions_assembly_the_host_lacks_from_its_own_folder_and_still_gets_the_hosts_logger()
    {
        var descriptor = await DiscoverOneAsync("ExtraAbstractions");
        var logger = new FakeLogger();
        Assert.True(File.Exists(Path.Combine(descriptor.Directory, "Microsoft.Extensions.Logging.Abstractions.dll")), "the plugin ships its own copy of the shared ILogger assembly");

        var loaded = PluginLoader.Load(descriptor);
        await loaded.Instance.InitializeAsync(Context(descriptor, logger), Token);

        // Before the fix the name pattern sent Microsoft.Extensions.AI.Abstractions to the host, which has none: FileNotFoundException.
        Assert.Equal("user said hello through Microsoft.Extensions.AI.Abstractions from Acorn.Plugin:test.extra-abstractions", logger.Collector.LatestRecord.Message);
        var privateAssemblies = loaded.PrivateAssemblies.Select(a => a.GetName().Name).ToList();
        Assert.Contains("Microsoft.Extensions.AI.Abstractions", privateAssemblies);
        Assert.DoesNotContain("Microsoft.Extensions.Logging.Abstractions", privateAssemblies);
        loaded.Unload();
    }

    [Fact]
    public async Task Well_behaved_plugin_context_is_collected_after_unload()
    {
        var descriptor = await DiscoverOneAsync("Hello");
        var tracker = await RunAndUnloadAsync(descriptor, PluginCapabilities.ContextsRead);

        Assert.True(await tracker.WaitForCollectionAsync(maxGcCycles: 20, Token), "the Hello plugin's load context was not collected");
        Assert.True(tracker.IsCollected);
    }

    [Fact]
    public async Task Plugin_that_leaves_a_handler_in_a_host_event_is_reported_as_not_collected()
    {
        var descriptor = await DiscoverOneAsync("Leaky");
        var tracker = await RunAndUnloadAsync(descriptor);

        Assert.False(await tracker.WaitForCollectionAsync(maxGcCycles: 5, Token));
        Assert.Equal("test.leaky", tracker.PluginId);
    }

    [Fact]
    public async Task Unloading_twice_is_refused()
    {
        var loaded = PluginLoader.Load(await DiscoverOneAsync("Hello"));
        loaded.Unload();

        Assert.True(loaded.IsUnloaded);
        Assert.Throws<InvalidOperationException>(() => loaded.Unload());
        Assert.Throws<InvalidOperationException>(() => loaded.Instance);
    }

    // Kept out of line so that no local of the test method keeps the plugin's objects reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<PluginUnloadTracker> RunAndUnloadAsync(PluginDescriptor descriptor, params string[] grants)
    {
        var loaded = PluginLoader.Load(descriptor);
        await loaded.Instance.InitializeAsync(Context(descriptor, new FakeLogger(), null, grants), Token);
        await loaded.Instance.ShutdownAsync(Token);
        return loaded.Unload();
    }
}
