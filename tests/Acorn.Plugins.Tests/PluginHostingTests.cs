using Acorn.Contexts;
using Acorn.Plugins.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Plugins.Tests;

public sealed class PluginHostingTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Host_start_loads_the_plugins_under_the_roots_and_stop_unloads_them()
    {
        _folders.Add("Hello");
        _folders.Add("Greeter");
        _folders.Add("ThrowsOnInitialize");
        _folders.AddManifestOnly("broken", "{ not json");
        var collector = new FakeLogCollector();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FakeLoggerProvider(collector));
        builder.Services.AddAcornPlugins(o =>
        {
            o.Roots.Add(_folders.Root);
            o.CapabilityGrants["test.hello"] = [PluginCapabilities.ContextsRead];
        });
        using var host = builder.Build();
        var manager = host.Services.GetRequiredService<PluginManager>();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [("test.greeter", PluginStatus.Active), ("test.hello", PluginStatus.Active), ("test.throws", PluginStatus.Failed)],
            manager.GetPlugins().Select(p => (p.Id, p.Status)));
        Assert.Contains(collector.GetSnapshot(), r => r.Id.Id == 3100 && r.Message.Contains("InvalidManifest", StringComparison.Ordinal));
        Assert.Contains(collector.GetSnapshot(), r => r.Id.Id == 3101 && r.Message == "2 of 3 plugins are active.");

        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [("test.greeter", PluginStatus.Unloaded), ("test.hello", PluginStatus.Unloaded), ("test.throws", PluginStatus.Failed)],
            manager.GetPlugins().Select(p => (p.Id, p.Status)));
    }

    [Fact]
    public async Task With_sqlite_registered_plugin_state_survives_a_host_restart_in_the_database_file()
    {
        _folders.Add("Counter");
        var database = Path.Combine(_folders.Outside, "acorn.db");
        var collector = new FakeLogCollector();
        for (var run = 0; run < 2; run++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new FakeLoggerProvider(collector));

            // Plugins first, SQLite second: the SQLite store still replaces the in-memory default.
            builder.Services.AddAcornPlugins(o => o.Roots.Add(_folders.Root)).AddAcornSqlite(o => o.Path = database);
            using var host = builder.Build();
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(
            ["start 1, stored nothing", """start 2, stored {"starts":1}"""],
            collector.GetSnapshot().Where(r => r.Category == "Acorn.Plugins.test.counter").Select(r => r.Message));
    }

    [Fact]
    public void Without_a_durable_store_plugin_state_is_kept_in_memory()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddAcornPlugins();

        using var provider = services.BuildServiceProvider();
        Assert.IsType<InMemoryPluginStateStore>(provider.GetRequiredService<IPluginStateStore>());
    }

    [Fact]
    public void Registering_twice_adds_one_manager_and_one_hosted_service()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddAcornPlugins().AddAcornPlugins();

        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IHostedService>());
        Assert.Single(services, d => d.ServiceType == typeof(PluginManager));
    }
}
