using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Acorn.Server.Tests;

/// <summary>The server as a separate process (<c>dotnet Acorn.Server.dll</c>), for kill, restart and shutdown tests.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static Task<ServerProcess> StartAsync(string dataPath, string? apiKey, params string[] extraArgs) =>
        StartAsync(dataPath, apiKey, new Dictionary<string, string>(), extraArgs);

    public static async Task<ServerProcess> StartAsync(string dataPath, string? apiKey, IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var server = Launch(dataPath, apiKey, extraArgs, environment);
        var listening = await Task.WhenAny(server._listening.Task, server._process.WaitForExitAsync(TestContext.Current.CancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        if (listening != server._listening.Task)
        {
            throw new InvalidOperationException($"The server exited ({server._process.ExitCode}) before listening:\n{server.Output}");
        }

        server.BaseAddress = await server._listening.Task;
        return server;
    }

    /// <summary>Starts the server and waits for it to exit by itself (for start-up refusals).</summary>
    public static async Task<ServerProcess> RunToExitAsync(string dataPath, string? apiKey, params string[] extraArgs)
    {
        var server = Launch(dataPath, apiKey, extraArgs, new Dictionary<string, string>());
        await server._process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return server;
    }

    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public void KillHard() => _process.Kill();

    /// <summary>Sends SIGTERM, as a service manager does, and waits for the exit; fails if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ServerProcess Launch(string dataPath, string? apiKey, string[] extraArgs, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataPath,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Acorn.Server.dll"));
        foreach (var arg in (string[])["--urls", "http://127.0.0.1:0", "--data", Path.Combine(dataPath, "data"), "--plugins", Path.Combine(dataPath, "plugins"), .. extraArgs])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("ACORN_API_KEY");
        if (apiKey is not null)
        {
            info.Environment["ACORN_API_KEY"] = apiKey;
        }

        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var server = new ServerProcess(new Process { StartInfo = info });
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Acorn is listening on (http://[^ ,]+)")]
    private static partial Regex ListeningLine();
}
