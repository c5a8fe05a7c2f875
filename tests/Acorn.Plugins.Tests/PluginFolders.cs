namespace Acorn.Plugins.Tests;

/// <summary>A fresh plugin root in a temporary folder, filled with real plugin builds from test-plugins/.</summary>
internal sealed class PluginFolders : IDisposable
{
    private static readonly string BuiltPlugins = Path.Combine(AppContext.BaseDirectory, "test-plugins");

    public PluginFolders()
    {
        Root = Path.Combine(Path.GetTempPath(), "acorn-plugins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Outside = Path.Combine(Path.GetTempPath(), "acorn-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Outside);
    }

    /// <summary>The plugin root.</summary>
    public string Root { get; }

    /// <summary>A folder outside the root, for escape attempts.</summary>
    public string Outside { get; }

    /// <summary>Copies a built test plugin (for example "Hello" for Acorn.TestPlugins.Hello) into the root.</summary>
    public string Add(string plugin, string? folderName = null)
    {
        var source = Path.Combine(BuiltPlugins, "Acorn.TestPlugins." + plugin);
        Assert.True(Directory.Exists(source), $"the test build did not lay out {source}");
        var target = Path.Combine(Root, folderName ?? plugin.ToLowerInvariant());
        CopyDirectory(source, target);
        return target;
    }

    /// <summary>Copies a built test plugin under a new id, version and dependencies: real code, generated graph.</summary>
    public string AddAs(string plugin, string id, string version = "1.0.0", params string[] dependencies)
    {
        var folder = Add(plugin, id);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "plugin.json")))!.AsObject();
        manifest["id"] = id;
        manifest["version"] = version;
        var dependencyObject = new System.Text.Json.Nodes.JsonObject();
        foreach (var dependency in dependencies)
        {
            dependencyObject[dependency] = ">=1.0.0";
        }

        manifest["dependencies"] = dependencyObject;
        File.WriteAllText(Path.Combine(folder, "plugin.json"), manifest.ToJsonString());
        return folder;
    }

    /// <summary>Writes a folder holding only a plugin.json.</summary>
    public string AddManifestOnly(string folderName, string manifestJson)
    {
        var target = Path.Combine(Root, folderName);
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "plugin.json"), manifestJson);
        return target;
    }

    public static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public void Dispose()
    {
        // Symlinks are deleted as links; their targets (in Outside) are removed separately.
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Outside, recursive: true);
    }
}
