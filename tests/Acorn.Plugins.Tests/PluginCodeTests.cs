using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Acorn.Plugins.Loading;

namespace Acorn.Plugins.Tests;

/// <summary>The documented hash over a plugin's code files, checked against an independent computation and the documented shell command.</summary>
public sealed class PluginCodeTests : IDisposable
{
    private readonly PluginFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A plugin folder with code in a subfolder, a hidden and an upper-case file, and files that are not code.</summary>
    private string Folder()
    {
        var folder = _folders.Add("Greeter");
        Directory.CreateDirectory(Path.Combine(folder, "de"));
        File.WriteAllBytes(Path.Combine(folder, "de", "Acorn.TestPlugins.Greeter.resources.dll"), [1, 2]);
        File.WriteAllBytes(Path.Combine(folder, ".hidden.dll"), [3]);
        File.WriteAllBytes(Path.Combine(folder, "LIBNATIVE.SO"), [4]);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not code");
        return folder;
    }

    [Fact]
    public async Task Hash_is_the_sha256_of_the_ordered_file_lines()
    {
        var folder = Folder();
        string[] files =
        [
            ".hidden.dll", "Acorn.TestPlugins.Greeter.dll", "LIBNATIVE.SO", "Microsoft.Extensions.DependencyInjection.Abstractions.dll",
            "Microsoft.Extensions.Logging.Abstractions.dll", "System.Diagnostics.DiagnosticSource.dll", "de/Acorn.TestPlugins.Greeter.resources.dll",
        ];
        var listing = string.Concat(files.Select(f => $"{Hex(File.ReadAllBytes(Path.Combine(folder, f)))}  {f}\n"));

        var code = await PluginCode.ReadAsync(folder, Token);

        Assert.Equal(files, code.FileSha256.Keys);
        Assert.Equal(Hex(Encoding.UTF8.GetBytes(listing)), code.Sha256);
    }

    [Fact]
    public async Task Renaming_a_file_changes_the_hash()
    {
        var folder = _folders.Add("Greeter");
        var before = await PluginCode.ReadAsync(folder, Token);
        File.Move(Path.Combine(folder, "System.Diagnostics.DiagnosticSource.dll"), Path.Combine(folder, "Renamed.dll"));

        var after = await PluginCode.ReadAsync(folder, Token);

        Assert.NotEqual(before.Sha256, after.Sha256);
    }

    [Fact]
    public async Task Documented_shell_command_gives_the_same_hash()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/sha256sum") && File.Exists("/usr/bin/find"), "needs GNU find and sha256sum");
        var folder = Folder();
        var command = """find -L . -type f \( -iname '*.dll' -o -iname '*.so' -o -iname '*.dylib' \) -printf '%P\n' | LC_ALL=C sort | xargs -r -d '\n' sha256sum | sha256sum""";
        var start = new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = folder, RedirectStandardOutput = true };
        using var shell = Process.Start(start)!;
        var output = await shell.StandardOutput.ReadToEndAsync(Token);
        await shell.WaitForExitAsync(Token);

        var code = await PluginCode.ReadAsync(folder, Token);

        Assert.Equal(code.Sha256 + "  -", output.TrimEnd());
    }

    [Fact]
    public async Task A_trusted_plugins_native_library_loads_from_its_verified_bytes_and_an_unhashed_one_is_refused()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "libe_sqlite3.so");
        Assert.SkipUnless(File.Exists(native), $"needs SQLite's native library for {RuntimeInformation.RuntimeIdentifier} in the test output");
        var folder = _folders.Add("Hello");
        var library = Path.Combine(folder, "native", "libe_sqlite3.so");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        File.Copy(native, library);
        var code = await PluginCode.ReadAsync(folder, Token);
        var unhashed = Path.Combine(folder, "native", "libother.so");
        File.Copy(native, unhashed);

        // The file on disk no longer matters: it is the verified copy that gets loaded.
        File.WriteAllBytes(library, [0]);
        var context = new PluginLoadContext("test.hello", Path.Combine(folder, "Acorn.TestPlugins.Hello.dll"), code);
        var handle = context.LoadVerifiedNative(library);
        var error = Assert.Throws<FileLoadException>(() => context.LoadVerifiedNative(unhashed));
        context.Unload();

        Assert.True(NativeLibrary.TryGetExport(handle, "sqlite3_libversion_number", out _));
        Assert.Equal("Plugin 'test.hello' is trusted by hash, and 'native/libother.so' is not part of the code that was hashed: it was not loaded.", error.Message);
    }
}
