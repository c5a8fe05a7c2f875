using System.Diagnostics;
using Acorn.Plugins.Loading;
using Acorn.Server.Commands;

namespace Acorn.Server.Tests;

/// <summary><c>plugin-hash</c> prints the value that <c>Acorn:Plugins:TrustedSha256</c> needs, and a server configured with it loads the plugin.</summary>
public sealed class PluginHashCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Built(string plugin) => Path.Combine(AppContext.BaseDirectory, "test-plugins", $"Acorn.TestPlugins.{plugin}");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] folders)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PluginHashCommand.RunAsync(folders, output, error, Ct);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Prints_each_folders_code_hash_like_sha256sum()
    {
        var hello = Built("Hello");
        var greeter = Built("Greeter");

        var result = await RunAsync(hello, greeter);

        var expected = $"{(await PluginCode.ReadAsync(hello, Ct)).Sha256}  {hello}\n{(await PluginCode.ReadAsync(greeter, Ct)).Sha256}  {greeter}\n";
        Assert.Equal((0, expected.ReplaceLineEndings(), ""), result);
    }

    [Fact]
    public async Task The_server_executable_runs_the_command_instead_of_starting()
    {
        var hello = Built("Hello");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Acorn.Server.dll"), "plugin-hash", hello })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal((0, $"{(await PluginCode.ReadAsync(hello, Ct)).Sha256}  {hello}\n", ""), (process.ExitCode, await output, await error));
    }

    [Fact]
    public async Task A_missing_folder_is_exit_code_1_and_no_folder_is_usage()
    {
        var missing = Path.Combine(Path.GetTempPath(), "acorn-no-such-plugin-" + Guid.NewGuid().ToString("N"));

        var (exitCode, output, error) = await RunAsync(missing);
        var usage = await RunAsync();

        Assert.Equal((1, ""), (exitCode, output));
        Assert.StartsWith($"plugin-hash: {missing}: ", error, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("usage: plugin-hash <plugin folder>...", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_requiring_hashes_loads_the_plugins_whose_printed_hash_it_trusts()
    {
        await using var server = new ServerFixture();
        foreach (var plugin in new[] { "Hello", "ThrowsOnInitialize" })
        {
            PluginServerFixture.CopyDirectory(Built(plugin), Path.Combine(server.DataPath, "plugins", plugin.ToLowerInvariant()));
        }

        var printed = (await RunAsync(Path.Combine(server.DataPath, "plugins", "hello"))).Output.Split(' ')[0];
        server.ExtraArguments.Add($"--Acorn:Plugins:TrustedSha256:test.hello={printed}");
        server.ExtraArguments.Add("--Acorn:Plugins:RequireTrustedHash=true");
        server.ExtraArguments.Add("--Acorn:Plugins:Grants:test.hello=contexts.read");
        await server.InitializeAsync();
        using var client = server.CreateClient();

        var plugins = (await (await client.GetAsync("/plugins", Ct)).ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetString()!, p => (p.GetProperty("status").GetString(), p.GetProperty("reason")));

        Assert.Equal("active", plugins["test.hello"].Item1);
        Assert.Equal("failed", plugins["test.throws"].Item1);
        Assert.Equal("plugin 'test.throws' has no trusted SHA-256 in the host's allowlist, which is required", plugins["test.throws"].Item2.GetString());
    }
}
