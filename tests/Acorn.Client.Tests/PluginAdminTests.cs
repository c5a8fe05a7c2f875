using Acorn.Plugins;
using Acorn.Plugins.Management;
using Acorn.Plugins.Tests;

namespace Acorn.Client.Tests;

/// <summary>The plugin admin calls against a server with real plugins: hello, greeter (needs hello) and one that throws on initialize.</summary>
public sealed class PluginAdminTests(PluginAdminTests.PluginServer server) : ClientTests, IClassFixture<PluginAdminTests.PluginServer>
{
    [Fact]
    public async Task Plugins_are_listed_read_unloaded_loaded_and_reloaded_with_the_servers_errors_typed()
    {
        var client = Clients.Create(server.BaseAddress);

        var listed = (await client.ListPluginsAsync(Ct)).ToDictionary(p => p.Id);
        Assert.Equal((PluginStatus.Active, PluginStatus.Active, PluginStatus.Failed),
            (listed["test.hello"].Status, listed["test.greeter"].Status, listed["test.throws"].Status));
        Assert.Equal("test.hello", Assert.Single(listed["test.greeter"].Dependencies).Key);
        Assert.False(string.IsNullOrEmpty(listed["test.throws"].Reason));

        var refused = await Assert.ThrowsAsync<PluginHasDependentsException>(() => client.UnloadPluginAsync("test.hello", cancellationToken: Ct));
        Assert.Equal(["test.greeter"], refused.Dependents);
        await Assert.ThrowsAsync<PluginNotFoundException>(() => client.GetPluginAsync("test.nothing", Ct));

        var stopped = await client.UnloadPluginAsync("test.hello", cascade: true, Ct);
        Assert.Equal(PluginStatus.Stopped, stopped.Status);
        var loaded = await client.LoadPluginAsync("test.greeter", Ct);
        Assert.Equal(PluginStatus.Active, loaded.Status);
        Assert.Equal(PluginStatus.Active, (await client.GetPluginAsync("test.hello", Ct)).Status);
        var reloaded = await client.ReloadPluginAsync("test.greeter", Ct);
        Assert.Equal(PluginStatus.Active, reloaded.Status);

        // A plugin that ends Failed is an answer, as PluginManager gives it, not an exception.
        var failed = await client.LoadPluginAsync("test.throws", Ct);
        Assert.Equal(PluginStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrEmpty(failed.Reason));
    }

    /// <summary>A server started with the three plugins in its plugins folder.</summary>
    public sealed class PluginServer : SharedServer
    {
        protected override IEnumerable<string> Settings => ["--Acorn:Plugins:Grants:test.hello=contexts.read"];

        public override async ValueTask InitializeAsync()
        {
            foreach (var plugin in new[] { "Hello", "Greeter", "ThrowsOnInitialize" })
            {
                var built = Path.Combine(AppContext.BaseDirectory, "test-plugins", $"Acorn.TestPlugins.{plugin}");
                Assert.True(Directory.Exists(built), $"The test build did not lay out {built}.");
                PluginFolders.CopyDirectory(built, Path.Combine(Server.Folder, "plugins", plugin.ToLowerInvariant()));
            }

            await base.InitializeAsync();
        }
    }
}
