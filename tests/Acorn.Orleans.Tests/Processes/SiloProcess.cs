using System.Diagnostics;
using System.Globalization;

namespace Acorn.Orleans.Tests.Processes;

/// <summary>
/// A silo host (<c>src/Acorn.Orleans.Silo</c>) in a process of its own, which a test can kill with SIGKILL; a watchdog
/// shell kills it too if the test process goes first.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private SiloProcess(int pid, string log) => (Pid, Log) = (pid, log);

    /// <summary>The silo's process id.</summary>
    public int Pid { get; }

    /// <summary>Where its output goes.</summary>
    public string Log { get; }

    /// <summary>Starts <c>dotnet Acorn.Orleans.Silo.dll</c> with <paramref name="arguments"/> and waits until its host has started.</summary>
    /// <param name="siloDll">The silo host's assembly.</param>
    /// <param name="directory">Where its log and pid file go.</param>
    /// <param name="name">A name for its files.</param>
    /// <param name="arguments">The silo host's command line.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The running silo.</returns>
    public static async Task<SiloProcess> StartAsync(string siloDll, string directory, string name, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var log = Path.Combine(directory, $"{name}.log");
        var pidFile = Path.Combine(directory, $"{name}.pid");
        var script =
            $"dotnet \"$0\" \"$@\" >'{log}' 2>&1 & child=$!; echo $child >'{pidFile}'; " +
            $"(while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; kill -9 $child 2>/dev/null) & wait $child";
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", script, siloDll }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using (Process.Start(start) ?? throw new InvalidOperationException("could not start sh"))
        {
        }

        while (!File.Exists(pidFile) || (await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim().Length == 0)
        {
            await Task.Delay(50, cancellationToken);
        }

        var silo = new SiloProcess(int.Parse((await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim(), CultureInfo.InvariantCulture), log);
        try
        {
            // The host logs this line once the silo has joined the cluster and opened its gateway.
            while (!(File.Exists(log) && (await File.ReadAllTextAsync(log, cancellationToken)).Contains("Application started", StringComparison.Ordinal)))
            {
                if (!silo.IsAlive)
                {
                    throw new InvalidOperationException($"silo {name} exited at start:\n{await File.ReadAllTextAsync(log, cancellationToken)}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Whether the process still runs.</summary>
    public bool IsAlive => File.Exists($"/proc/{Pid}/stat") && !File.ReadAllText($"/proc/{Pid}/stat").Contains(") Z", StringComparison.Ordinal);

    /// <summary>Kills the process with SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
