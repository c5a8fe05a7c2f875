using System.Security.Cryptography;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

public sealed class PluginTrustTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly PluginManagerOptions _options = new();

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Assembly_with_the_trusted_hash_loads()
    {
        var folder = _folders.AddAs("Greeter", "test.greeter");
        _options.TrustedSha256["test.greeter"] = Sha256Of(Path.Combine(folder, "Acorn.TestPlugins.Greeter.dll")).ToUpperInvariant();

        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        using var manager = new PluginManager(_options, new TestLoggerFactory());
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        var result = await manager.LoadAsync("test.greeter", Token);

        Assert.Equal(PluginStatus.Active, result.Status);
    }

    [Fact]
    public async Task Changed_assembly_is_refused_with_both_hashes()
    {
        var folder = _folders.AddAs("Greeter", "test.greeter");
        var path = Path.Combine(folder, "Acorn.TestPlugins.Greeter.dll");
        var trusted = Sha256Of(path);
        _options.TrustedSha256["test.greeter"] = trusted;
        using (var stream = File.OpenWrite(path))
        {
            stream.Seek(0, SeekOrigin.End);
            stream.WriteByte(0);
        }

        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        using var manager = new PluginManager(_options, new TestLoggerFactory());
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        var result = await manager.LoadAsync("test.greeter", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.Equal(
            $"entry assembly 'Acorn.TestPlugins.Greeter.dll' has SHA-256 {Sha256Of(path)}, but the host trusts only {trusted}: the assembly has changed",
            result.Reason);
    }

    [Fact]
    public async Task Unlisted_plugin_is_refused_when_hashes_are_required()
    {
        _folders.Add("Hello");
        _options.RequireTrustedHash = true;
        _options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];

        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        using var manager = new PluginManager(_options, new TestLoggerFactory());
        manager.Register(Assert.Single(discovered.Plugins));

        var result = await manager.LoadAsync("test.hello", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.Equal("plugin 'test.hello' has no trusted SHA-256 in the host's allowlist, which is required", result.Reason);
    }
}
