using System.Diagnostics;
using System.Globalization;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>
/// The crash writer (tests/Acorn.Contexts.Sqlite.CrashWriter) as a real child process on a database: it opens a store,
/// prints "ready", then writes and prints "ack &lt;id&gt; &lt;version&gt;" after each acknowledged write until it is killed.
/// </summary>
internal sealed class CrashWriterProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstUpdate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Id, long Version)> _acks = [];

    private CrashWriterProcess(string databasePath)
    {
        _process = Process.Start(new ProcessStartInfo("dotnet", [WriterPath(), databasePath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Completes when the writer has opened its store; fails the test if it exits first.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes at the first acknowledged update after <see cref="Ready"/>.</summary>
    public Task FirstUpdate => _firstUpdate.Task;

    /// <summary>The acknowledged writes so far.</summary>
    public List<(string Id, long Version)> Acknowledged
    {
        get
        {
            lock (_acks)
            {
                return [.. _acks];
            }
        }
    }

    public static CrashWriterProcess Start(string databasePath) => new(databasePath);

    /// <summary>Waits until the writer is ready; fails with its error output if it exits before.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        if (await Task.WhenAny(Ready, _process.WaitForExitAsync(cancellationToken)) != Ready)
        {
            Assert.Fail($"The crash writer exited before it was ready: {await _process.StandardError.ReadToEndAsync(cancellationToken)}");
        }
    }

    /// <summary>Waits for the writer to exit by itself and returns its exit code and error output.</summary>
    public async Task<(int ExitCode, string Error)> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var error = await _process.StandardError.ReadToEndAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        return (_process.ExitCode, error);
    }

    /// <summary>SIGKILL on Linux: no flush, no finally, no disposal. Returns once the process is gone and its output read.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken); // with BeginOutputReadLine this also waits for the last line
    }

    /// <summary>Kills the writer if it still runs, without waiting.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line == "ready")
        {
            _ready.TrySetResult();
        }
        else if (line?.Split(' ') is ["ack", var id, var version])
        {
            lock (_acks)
            {
                _acks.Add((id, long.Parse(version, CultureInfo.InvariantCulture)));
            }

            if (_ready.Task.IsCompleted)
            {
                _firstUpdate.TrySetResult();
            }
        }
    }

    private static string WriterPath()
    {
        // tests/Acorn.Contexts.Sqlite.Tests/bin/<Configuration>/net10.0/ -> tests/Acorn.Contexts.Sqlite.CrashWriter/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Acorn.Contexts.Sqlite.CrashWriter", "bin", configuration, output.Name, "Acorn.Contexts.Sqlite.CrashWriter.dll");
        Assert.True(File.Exists(path), $"The crash writer is not built at {path}.");
        return path;
    }
}
