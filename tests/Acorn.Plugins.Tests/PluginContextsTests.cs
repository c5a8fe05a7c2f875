using Acorn.Contexts;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

public sealed class PluginContextsTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly PluginManagerOptions _options = new();
    private readonly TestLoggerFactory _logs = new();

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<(PluginInfo Result, ContextManager Contexts)> LoadWriterAsync()
    {
        _folders.Add("ContextWriter");
        var contexts = new ContextManager(new InMemoryContextStore());
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        using var manager = new PluginManager(_options, _logs, contexts);
        manager.Register(Assert.Single(discovered.Plugins));
        return (await manager.LoadAsync("test.contextwriter", Token), contexts);
    }

    [Fact]
    public async Task Plugin_writes_and_reads_host_contexts_within_its_grants()
    {
        _options.CapabilityGrants["test.contextwriter"] = [PluginCapabilities.ContextsRead, PluginCapabilities.ContextsWrite, PluginCapabilities.ContextsDelete];

        var (result, contexts) = await LoadWriterAsync();

        Assert.Equal(PluginStatus.Active, result.Status);
        var note = await contexts.GetAsync("note-test.contextwriter", Token);
        Assert.Equal(2, note.Version);
        Assert.Equal("""{"n":2}""", note.Data.GetRawText());

        // The host granted delete, but the manifest never asked for it: the grant is the intersection.
        Assert.Equal(["found version 2: {\"n\":2}", "delete refused: contexts.delete"], _logs.MessagesOf("Acorn.Plugins.test.contextwriter"));
    }

    [Fact]
    public async Task Write_without_the_hosts_grant_fails_the_plugin_and_writes_nothing()
    {
        _options.CapabilityGrants["test.contextwriter"] = [PluginCapabilities.ContextsRead];

        var (result, contexts) = await LoadWriterAsync();

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith(
            "initialize threw PluginPermissionException: Plugin 'test.contextwriter' was not granted the capability 'contexts.write'.",
            result.Reason,
            StringComparison.Ordinal);
        Assert.Null(await contexts.FindAsync("note-test.contextwriter", Token));
    }
}
