using System.Text;
using Acorn.Plugins.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Acorn.Plugins.Tests;

public sealed class PluginConfigurationTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static PluginManagerOptions OptionsFrom(IConfiguration? configuration, Action<PluginManagerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null)
        {
            services.AddSingleton(configuration);
        }

        services.AddAcornPlugins(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PluginManagerOptions>>().Value;
    }

    [Fact]
    public void Grants_roots_hashes_and_each_plugins_section_are_read_from_acorn_plugins()
    {
        var options = OptionsFrom(Json("""
            {
              "Acorn": { "Plugins": {
                "Roots": ["/srv/plugins", "/opt/plugins"],
                "Grants": {
                  "test.hello": ["contexts.read", "contexts.write"],
                  "*": "plugins.query, contexts.read"
                },
                "Config": {
                  "test.hello": { "greeting": "Hi", "retries": 3, "nested": { "tags": ["a", "b"] } },
                  "test.flat": "just text"
                },
                "TrustedSha256": { "test.hello": "ABC123" },
                "RequireTrustedHash": "true"
              } }
            }
            """));

        Assert.Equal(["/srv/plugins", "/opt/plugins"], options.Roots);
        Assert.Equal(["contexts.read", "contexts.write"], options.CapabilityGrants["test.hello"]);
        Assert.Equal(["plugins.query", "contexts.read"], options.CapabilityGrants[PluginManagerOptions.AllPlugins]);
        Assert.Equal("""{"greeting":"Hi","nested":{"tags":["a","b"]},"retries":"3"}""", options.Configuration["test.hello"].GetRawText());
        Assert.Equal("\"just text\"", options.Configuration["test.flat"].GetRawText());
        Assert.Equal("ABC123", options.TrustedSha256["test.hello"]);
        Assert.True(options.RequireTrustedHash);
    }

    [Fact]
    public void Code_overrides_configuration_and_no_configuration_means_defaults()
    {
        var options = OptionsFrom(
            Json("""{ "Acorn": { "Plugins": { "Grants": { "test.hello": ["contexts.write"] } } } }"""),
            o => o.CapabilityGrants["test.hello"] = [PluginCapabilities.ContextsRead]);

        Assert.Equal([PluginCapabilities.ContextsRead], options.CapabilityGrants["test.hello"]);
        Assert.Empty(OptionsFrom(null).CapabilityGrants);
        Assert.False(OptionsFrom(null).RequireTrustedHash);
    }

    [Fact]
    public async Task A_plugin_gets_its_grant_and_its_configuration_from_the_hosts_appsettings()
    {
        _folders.Add("Hello");
        var collector = new FakeLogCollector();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FakeLoggerProvider(collector));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Acorn:Plugins:Roots:0"] = _folders.Root,
            ["Acorn:Plugins:Grants:test.hello:0"] = PluginCapabilities.ContextsRead,
            ["Acorn:Plugins:Config:test.hello:greeting"] = "Configured hello",
        });
        builder.Services.AddAcornPlugins();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains(
            "Configured hello from test.hello, initialization 1",
            collector.GetSnapshot().Where(r => r.Category == "Acorn.Plugins.test.hello").Select(r => r.Message));
    }
}
