using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Acorn.Testing.Servers;

/// <summary>Process helpers shared by the server fixtures: free ports, running tools, stopping by PID.</summary>
internal static class ServerProcess
{
    /// <summary>Returns a loopback port that was free a moment ago (the server binding it is the real check).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a tool to completion and returns its combined output; throws with that output when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>Runs a new server's start-up and returns it; disposes it when start-up fails, so no process or directory is left behind.</summary>
    public static async Task<T> StartOrDisposeAsync<T>(T server, Func<T, Task> start)
        where T : IAsyncDisposable
    {
        try
        {
            await start(server);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="signal"/> (a kill(1) name such as INT) to <paramref name="pid"/> and waits for it to exit, killing it after the grace period.</summary>
    public static async Task StopAsync(int pid, string signal, TimeSpan grace)
    {
        if (!IsAlive(pid))
        {
            return;
        }

        await SignalAsync(pid, signal);
        var deadline = DateTime.UtcNow + grace;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (IsAlive(pid))
        {
            await SignalAsync(pid, "KILL");
        }
    }

    /// <summary>
    /// Starts a shell that stops <paramref name="serverPid"/> when this process is gone, so that a test host
    /// or benchmark killed before it could dispose its servers leaves no server and no temp directory behind.
    /// </summary>
    public static void StartOrphanWatchdog(int serverPid, string signal, string serverName, string directory)
    {
        // The comm check keeps a recycled PID from being signalled after the server already stopped.
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"[ \"$(cat /proc/{serverPid}/comm 2>/dev/null)\" = {serverName} ] && kill -s {signal} {serverPid}; " +
            $"while kill -0 {serverPid} 2>/dev/null; do sleep 1; done; rm -rf '{directory}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("could not start the orphan watchdog");
    }

    /// <summary>Whether a process with this id exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether this process runs as root (servers then run as their own system users).</summary>
    public static bool IsRoot => Environment.UserName == "root";

    private static async Task SignalAsync(int pid, string signal)
    {
        try
        {
            await RunAsync("kill", ["-s", signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // The process exited between the check and the signal: nothing left to stop.
        }
    }
}
