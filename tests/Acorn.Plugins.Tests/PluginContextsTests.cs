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
        Assert.Equal(3, note.Version);
        Assert.Equal("""{"n":2,"patched":true}""", note.Data.GetRawText());

        // The host granted delete, but the manifest never asked for it: the grant is the intersection.
        Assert.Equal(
            ["found version 3: {\"n\":2,\"patched\":true}", "delete refused: contexts.delete"],
            _logs.MessagesOf("Acorn.Plugins.test.contextwriter"));
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

    [Fact]
    public async Task Patch_applies_a_json_patch_within_the_write_grant_and_names_a_failed_operation()
    {
        var contexts = new ContextManager(new InMemoryContextStore());
        await contexts.CreateAsync("shared", ContextContent.Parse("""{"n":1}"""), Token);
        var plugin = ContextsOf(contexts, PluginCapabilities.ContextsWrite);

        var patched = await plugin.PatchAsync(
            "shared", PluginContextPatch.Parse(PluginContextPatchKind.JsonPatch, """[{"op":"test","path":"/n","value":1},{"op":"add","path":"/by","value":"plugin"}]"""), 1, Token);
        var failed = await Assert.ThrowsAsync<ContextPatchFailedException>(() => plugin.PatchAsync(
            "shared", PluginContextPatch.Parse(PluginContextPatchKind.JsonPatch, """[{"op":"remove","path":"/missing"}]"""), null, Token));

        Assert.Equal((2L, """{"n":1,"by":"plugin"}"""), (patched.Version, patched.Data.GetRawText()));
        Assert.Equal((0, "/missing"), (failed.OperationIndex, failed.Path));
        Assert.Equal(2, (await contexts.GetAsync("shared", Token)).Version);
    }

    [Fact]
    public async Task Patch_without_the_write_grant_is_refused_and_changes_nothing()
    {
        var contexts = new ContextManager(new InMemoryContextStore());
        await contexts.CreateAsync("shared", ContextContent.Parse("""{"n":1}"""), Token);
        var plugin = ContextsOf(contexts, PluginCapabilities.ContextsRead);

        var refused = await Assert.ThrowsAsync<PluginPermissionException>(() => plugin.PatchAsync(
            "shared", PluginContextPatch.Parse(PluginContextPatchKind.MergePatch, """{"n":2}"""), null, Token));

        Assert.Equal(PluginCapabilities.ContextsWrite, refused.Capability);
        var state = await contexts.GetAsync("shared", Token);
        Assert.Equal((1L, """{"n":1}"""), (state.Version, state.Data.GetRawText()));
    }

    /// <summary>The contexts a plugin asking for read and write sees when the host grants it <paramref name="grants"/>.</summary>
    private IPluginContexts ContextsOf(ContextManager contexts, params string[] grants)
    {
        var manifest = new PluginManifest
        {
            Id = "test.patcher",
            Name = "Patcher",
            Version = "1.0.0",
            EntryAssembly = "none.dll",
            Capabilities = [PluginCapabilities.ContextsRead, PluginCapabilities.ContextsWrite],
        };
        return new PluginContext(manifest, _logs.CreateLogger("patcher"), default, grants, _ => null, contexts).Contexts;
    }
}
