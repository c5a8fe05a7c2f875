using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Acorn.Testing.Servers;

/// <summary>
/// A Redis server of the caller's own: Debian's redis-server on 127.0.0.1 and a free port, with an append-only file in a
/// temp directory; stopped by PID on dispose.
/// </summary>
/// <remarks>A missing or broken redis-server fails <see cref="StartAsync"/> with what went wrong: callers never skip silently.</remarks>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/redis-server";
    private string? _root;
    private Process? _process;

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    private RedisServer()
    {
    }

    /// <summary>Starts a server with an empty data directory.</summary>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    /// <returns>The running server; dispose it to stop it and delete its directory.</returns>
    /// <exception cref="InvalidOperationException">redis-server is not installed or did not answer (the message says why).</exception>
    public static Task<RedisServer> StartAsync(CancellationToken cancellationToken = default) =>
        ServerProcess.StartOrDisposeAsync(new RedisServer(), s => s.InitializeAsync(cancellationToken));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await ServerProcess.StopAsync(_process.Id, "TERM", TimeSpan.FromSeconds(10));
            _process.Dispose();
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"Redis is not installed ({Binary} is missing): run ./test.sh as root, which installs it, or `apt-get install redis-server`.");
        }

        _root = Directory.CreateTempSubdirectory("acorn-redis-").FullName;
        Port = ServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // appendfsync always: a write Redis acknowledged is on disk, like the PostgreSQL path.
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dir", _root, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no",
            "--logfile", Path.Combine(_root, "redis.log"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        ServerProcess.StartOrphanWatchdog(_process.Id, "TERM", "redis-server", _root);
        await WaitUntilReadyAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_process!.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException ex)
            {
                last = ex;
            }

            await Task.Delay(50, cancellationToken);
        }

        var log = Path.Combine(_root!, "redis.log");
        var tail = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "(no log)";
        throw new InvalidOperationException($"redis-server on 127.0.0.1:{Port} did not answer PING: {last?.Message}\n{tail}");
    }
}
