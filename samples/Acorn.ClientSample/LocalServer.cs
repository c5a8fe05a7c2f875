using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

/// <summary>
/// An Acorn server for the sample to talk to when none is given: <c>dotnet Acorn.Server.dll</c> from this sample's
/// build output, with a fresh data folder and a random admin key, stopped when the sample ends.
/// </summary>
internal sealed partial class LocalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private LocalServer(Process process, string folder, Uri address, string key)
    {
        _process = process;
        _folder = folder;
        Address = address;
        Key = key;
    }

    public Uri Address { get; }

    public string Key { get; }

    public static async Task<LocalServer> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("acorn-client-sample-").FullName;
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Acorn.Server.dll"), "--urls", "http://127.0.0.1:0", "--data", "data", "--plugins", "plugins" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ACORN_API_KEY"] = key;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Acorn.Server"] = "Information";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new LocalServer(process, folder, address, key);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [GeneratedRegex(@"Acorn is listening on (http://[^ ,]+)")]
    private static partial Regex Listening();
}
