using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Acorn.Bench.Http;

/// <summary>
/// A server measured by the <c>http</c> suite, run as a child process on a loopback port. Its output goes to a log file;
/// <see cref="DisposeAsync"/> stops it by its PID (SIGTERM, then SIGKILL if it has not exited within 15 s).
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly List<ChildServer> Running = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();

    private ChildServer(string name, Process process, StreamWriter log, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>The CPU time (user + system) the child has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string LogPath => ((FileStream)_log.BaseStream).Name;

    /// <summary>A free TCP port on 127.0.0.1 (bound to port 0 and released; a race with another process is possible but unlikely).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> and the extra environment, listening on <paramref name="port"/>.</summary>
    public static ChildServer Start(
        string name, string dotnet, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logPath, int port)
    {
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var server = new ChildServer(name, process, log, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
        process.OutputDataReceived += (_, e) => server.WriteLog(e.Data);
        process.ErrorDataReceived += (_, e) => server.WriteLog(e.Data);
        lock (Running)
        {
            process.Start();
            Running.Add(server);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Kills every child still running; for the process-exit and Ctrl-C paths, where no <c>finally</c> may run.</summary>
    public static void KillAll()
    {
        lock (Running)
        {
            foreach (var server in Running)
            {
                try
                {
                    if (!server._process.HasExited)
                    {
                        server._process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>Polls <paramref name="path"/> until it answers 2xx; fails if the process exits first or the time runs out.</summary>
    public async Task WaitReadyAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; its log: {LogPath}\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One attempt timed out.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not answer {path} within {timeout.TotalSeconds:0} s; its log: {LogPath}\n{Tail()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The last lines of the child's log.</summary>
    public string Tail(int lines = 30)
    {
        lock (_logLock)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(log not readable: {e.Message})";
        }
    }

    /// <summary>Stops the child by PID: SIGTERM (graceful shutdown), then SIGKILL of its tree after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = SendSignal(_process.Id, SigTerm);
                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _process.WaitForExitAsync(graceful.Token);
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine($"{Name} (PID {_process.Id}) did not exit within 15 s of SIGTERM; killing it.");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            lock (Running)
            {
                Running.Remove(this);
            }

            lock (_logLock)
            {
                _log.Dispose();
            }

            _process.Dispose();
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after the log was closed: dropped.
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SendSignal(int pid, int signal);
}
