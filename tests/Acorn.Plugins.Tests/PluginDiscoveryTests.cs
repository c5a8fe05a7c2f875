using Acorn.Plugins.Discovery;

namespace Acorn.Plugins.Tests;

public sealed class PluginDiscoveryTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private Task<DiscoveryResult> DiscoverAsync() =>
        PluginDiscovery.DiscoverAsync([_folders.Root], TestContext.Current.CancellationToken);

    [Fact]
    public async Task Finds_real_plugins_ordered_by_id()
    {
        _folders.Add("Hello");
        _folders.Add("Greeter");
        Directory.CreateDirectory(Path.Combine(_folders.Root, "not-a-plugin"));

        var result = await DiscoverAsync();

        Assert.Empty(result.Problems);
        Assert.Equal(["test.greeter", "test.hello"], result.Plugins.Select(p => p.Id));
        var hello = result.Plugins[1];
        Assert.Equal("1.2.0", hello.Version.ToString());
        Assert.Equal(Path.Combine(_folders.Root, "hello", "Acorn.TestPlugins.Hello.dll"), hello.EntryAssemblyPath);
    }

    [Fact]
    public async Task Invalid_manifest_is_reported_and_others_still_found()
    {
        _folders.Add("Hello");
        _folders.AddManifestOnly("broken", """{"id":"broken","name":"B","version":"1.x","entryAssembly":"B.dll"}""");

        var result = await DiscoverAsync();

        Assert.Equal(["test.hello"], result.Plugins.Select(p => p.Id));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(DiscoveryProblemKind.InvalidManifest, problem.Kind);
        Assert.Equal("version", Assert.Single(problem.ManifestErrors).Field);
        Assert.Contains("'1.x' is not a SemVer 2.0 version", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_entry_assembly_is_reported()
    {
        _folders.AddManifestOnly("empty", """{"id":"test.empty","name":"E","version":"1.0.0","entryAssembly":"Empty.dll"}""");

        var problem = Assert.Single((await DiscoverAsync()).Problems);

        Assert.Equal(DiscoveryProblemKind.EntryAssemblyNotFound, problem.Kind);
        Assert.Equal("test.empty", problem.PluginId);
        Assert.Contains("'Empty.dll' was not found", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_ids_refuse_every_copy()
    {
        _folders.Add("Hello", "hello-a");
        _folders.Add("Hello", "hello-b");
        _folders.Add("Greeter");

        var result = await DiscoverAsync();

        Assert.Equal(["test.greeter"], result.Plugins.Select(p => p.Id));
        Assert.Equal(2, result.Problems.Count);
        Assert.All(result.Problems, p =>
        {
            Assert.Equal(DiscoveryProblemKind.DuplicateId, p.Kind);
            Assert.Equal("test.hello", p.PluginId);
            Assert.Contains("hello-a", p.Message, StringComparison.Ordinal);
            Assert.Contains("hello-b", p.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Symlinked_folder_outside_the_root_is_refused()
    {
        var outsidePlugin = Path.Combine(_folders.Outside, "hello");
        PluginFolders.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "test-plugins", "Acorn.TestPlugins.Hello"), outsidePlugin);
        Directory.CreateSymbolicLink(Path.Combine(_folders.Root, "sneaky"), outsidePlugin);

        var result = await DiscoverAsync();

        Assert.Empty(result.Plugins);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(DiscoveryProblemKind.PathEscapesRoot, problem.Kind);
        Assert.Contains("outside the plugin root", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symlinked_folder_inside_the_root_is_accepted()
    {
        // The real folder sits one level down (not a plugin folder itself); the alias in the root points at it.
        var real = Path.Combine(_folders.Root, "inner", "hello");
        PluginFolders.CopyDirectory(Path.Combine(AppContext.BaseDirectory, "test-plugins", "Acorn.TestPlugins.Hello"), real);
        Directory.CreateSymbolicLink(Path.Combine(_folders.Root, "alias"), real);

        var result = await DiscoverAsync();

        Assert.Empty(result.Problems);
        Assert.Equal("test.hello", Assert.Single(result.Plugins).Id);
    }

    [Fact]
    public async Task Entry_assembly_symlinked_outside_the_folder_is_refused()
    {
        var folder = _folders.Add("Hello");
        var entry = Path.Combine(folder, "Acorn.TestPlugins.Hello.dll");
        var elsewhere = Path.Combine(_folders.Outside, "Acorn.TestPlugins.Hello.dll");
        File.Move(entry, elsewhere);
        File.CreateSymbolicLink(entry, elsewhere);

        var problem = Assert.Single((await DiscoverAsync()).Problems);

        Assert.Equal(DiscoveryProblemKind.PathEscapesRoot, problem.Kind);
        Assert.Equal("test.hello", problem.PluginId);
        Assert.Contains("entry assembly resolves to", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_root_is_reported()
    {
        var missing = Path.Combine(_folders.Root, "nope");

        var result = await PluginDiscovery.DiscoverAsync([missing], TestContext.Current.CancellationToken);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(DiscoveryProblemKind.RootNotFound, problem.Kind);
        Assert.Equal(missing, problem.Path);
    }
}
