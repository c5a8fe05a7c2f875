using System.Reflection;
using System.Runtime.Loader;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Loading;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>The SHA-256 allowlist covers a plugin's whole code, with real plugin builds whose files are changed on disk.</summary>
public sealed class PluginTrustTests : IDisposable
{
    private const string V6 = "test.versioning.v6";
    private const string NuGetDll = "NuGet.Versioning.dll";

    private readonly PluginFolders _folders = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly PluginManagerOptions _options = new() { UnloadGcCycles = 20 };

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<string> HashOfAsync(string folder) => (await PluginCode.ReadAsync(folder, Token)).Sha256;

    private async Task<PluginManager> ManagerAsync()
    {
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        Assert.Empty(discovered.Problems);
        var manager = new PluginManager(_options, _logs);
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    /// <summary>A private dependency from another build: the VersioningV7 plugin's NuGet.Versioning 7 in place of 6.</summary>
    private static string OtherNuGetVersioning() =>
        Path.Combine(AppContext.BaseDirectory, "test-plugins", "Acorn.TestPlugins.VersioningV7", NuGetDll);

    private static void AppendByte(string path)
    {
        using var stream = File.OpenWrite(path);
        stream.Seek(0, SeekOrigin.End);
        stream.WriteByte(0);
    }

    [Fact]
    public async Task Trusted_and_unchanged_plugin_loads_with_its_private_dependency()
    {
        var folder = _folders.Add("VersioningV6");
        _options.TrustedSha256[V6] = (await HashOfAsync(folder)).ToUpperInvariant();
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync(V6, Token);

        Assert.Equal((PluginStatus.Active, null), (result.Status, result.Reason));
        Assert.Equal(["NuGet.Versioning 6 parsed release beta"], _logs.MessagesOf("Acorn.Plugins." + V6));
    }

    [Fact]
    public async Task Changed_entry_assembly_is_refused_naming_the_plugin_the_file_and_both_hashes()
    {
        var folder = _folders.AddAs("Greeter", "test.greeter");
        var trusted = await HashOfAsync(folder);
        _options.TrustedSha256["test.greeter"] = trusted;
        AppendByte(Path.Combine(folder, "Acorn.TestPlugins.Greeter.dll"));
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync("test.greeter", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.Equal(
            $"plugin 'test.greeter' does not match its trusted SHA-256 {trusted}: its code now hashes to {await HashOfAsync(folder)} "
            + "(a file was changed, added or removed since the hash was configured; the files hashed are Acorn.TestPlugins.Greeter.dll, "
            + "Microsoft.Extensions.DependencyInjection.Abstractions.dll, Microsoft.Extensions.Logging.Abstractions.dll, System.Diagnostics.DiagnosticSource.dll)",
            result.Reason);
    }

    [Fact]
    public async Task Swapped_private_dependency_is_refused_on_first_load()
    {
        var folder = _folders.Add("VersioningV6");
        _options.TrustedSha256[V6] = await HashOfAsync(folder);
        File.Copy(OtherNuGetVersioning(), Path.Combine(folder, NuGetDll), overwrite: true);
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync(V6, Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith($"plugin '{V6}' does not match its trusted SHA-256", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_logs.MessagesOf("Acorn.Plugins." + V6));
    }

    public static TheoryData<string, string> Tampering => new()
    {
        { "swap", $"changed {NuGetDll}" },
        { "add", "added runtimes/extra.dll" },
        { "remove", $"removed {NuGetDll}" },
        { "native", "added libsneaky.so" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Reload_after_the_code_changed_is_refused_naming_what_changed(string tampering, string expected)
    {
        var folder = _folders.Add("VersioningV6");
        _options.TrustedSha256[V6] = await HashOfAsync(folder);
        using var manager = await ManagerAsync();
        Assert.Equal(PluginStatus.Active, (await manager.LoadAsync(V6, Token)).Status);
        await manager.UnloadAsync(V6, cascade: false, Token);

        var dependency = Path.Combine(folder, NuGetDll);
        switch (tampering)
        {
            case "swap":
                File.Copy(OtherNuGetVersioning(), dependency, overwrite: true);
                break;
            case "add":
                Directory.CreateDirectory(Path.Combine(folder, "runtimes"));
                File.Copy(dependency, Path.Combine(folder, "runtimes", "extra.dll"));
                break;
            case "remove":
                File.Delete(dependency);
                break;
            default:
                File.WriteAllBytes(Path.Combine(folder, "libsneaky.so"), [0x7f, (byte)'E', (byte)'L', (byte)'F']);
                break;
        }

        var result = await manager.LoadAsync(V6, Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.EndsWith($"since it was last verified: {expected}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_plugin_does_not_stop_the_others_from_loading()
    {
        var tampered = _folders.AddAs("Greeter", "test.tampered");
        var fine = _folders.AddAs("Greeter", "test.fine");
        _options.TrustedSha256["test.tampered"] = await HashOfAsync(tampered);
        _options.TrustedSha256["test.fine"] = await HashOfAsync(fine);
        _folders.AddAs("Greeter", "test.needs-tampered", "1.0.0", "test.tampered");
        AppendByte(Path.Combine(tampered, "Acorn.TestPlugins.Greeter.dll"));
        using var manager = await ManagerAsync();

        var results = await manager.LoadAllAsync(Token);

        Assert.Equal(
            [("test.fine", PluginStatus.Active), ("test.needs-tampered", PluginStatus.Blocked), ("test.tampered", PluginStatus.Failed)],
            results.Select(r => (r.Id, r.Status)).OrderBy(r => r.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Trusted_code_runs_from_the_bytes_that_were_hashed_even_if_the_files_change_afterwards()
    {
        var folder = _folders.Add("VersioningV6");
        var descriptor = Assert.Single((await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins);
        var code = await PluginCode.ReadAsync(folder, Token);

        // Swapped between the check and the load: the old way re-read the files here.
        File.WriteAllBytes(descriptor.EntryAssemblyPath, [1, 2, 3]);
        File.Copy(OtherNuGetVersioning(), Path.Combine(folder, NuGetDll), overwrite: true);
        var loaded = PluginLoader.Load(descriptor, code);
        var context = AssemblyLoadContext.GetLoadContext(loaded.Instance.GetType().Assembly)!;
        var library = context.LoadFromAssemblyName(new AssemblyName("NuGet.Versioning"));

        Assert.Equal("Acorn.TestPlugins.VersioningV6.VersioningPlugin", loaded.Instance.GetType().FullName);
        Assert.Equal(6, library.GetName().Version!.Major);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(library));
        Assert.All(loaded.PrivateAssemblies, a => Assert.Equal("", a.Location));
        loaded.Unload();
    }

    [Fact]
    public async Task Trusted_context_refuses_an_assembly_that_was_not_hashed()
    {
        var folder = _folders.Add("VersioningV6");
        var descriptor = Assert.Single((await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins);
        var dependency = Path.Combine(folder, NuGetDll);
        var bytes = File.ReadAllBytes(dependency);
        File.Delete(dependency);
        var code = await PluginCode.ReadAsync(folder, Token);
        File.WriteAllBytes(dependency, bytes);

        var loaded = PluginLoader.Load(descriptor, code);
        var context = AssemblyLoadContext.GetLoadContext(loaded.Instance.GetType().Assembly)!;
        var error = Assert.Throws<FileLoadException>(() => context.LoadFromAssemblyName(new AssemblyName("NuGet.Versioning")));

        Assert.Contains($"Plugin '{V6}' is trusted by hash, and '{NuGetDll}' is not part of the code that was hashed", error.ToString(), StringComparison.Ordinal);
        loaded.Unload();
    }

    [Fact]
    public async Task Unloaded_trusted_plugin_is_collected()
    {
        var folder = _folders.Add("VersioningV6");
        _options.TrustedSha256[V6] = await HashOfAsync(folder);
        using var manager = await ManagerAsync();
        await manager.LoadAsync(V6, Token);

        await manager.UnloadAsync(V6, cascade: false, Token);
        var result = await manager.WaitForCollectionAsync(V6, Token);

        Assert.Equal((PluginStatus.Unloaded, null), (result.Status, result.Reason));
    }

    [Fact]
    public async Task Unlisted_plugin_is_refused_when_hashes_are_required()
    {
        _folders.Add("Hello");
        _options.RequireTrustedHash = true;
        _options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync("test.hello", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.Equal("plugin 'test.hello' has no trusted SHA-256 in the host's allowlist, which is required", result.Reason);
    }
}
