using Npgsql;

namespace Acorn.Testing.Servers;

/// <summary>
/// A PostgreSQL server of the caller's own: Debian's binaries, a fresh cluster in a temp directory, 127.0.0.1 on a
/// free port, Orleans' ADO.NET storage schema installed; stopped by PID on dispose.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so as root the server runs as the <c>postgres</c> system user over a data directory
/// it owns. A missing or broken PostgreSQL fails <see cref="StartAsync(CancellationToken)"/> with what went wrong: callers never skip silently.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Database = "acorn_orleans";
    private string? _root;
    private string _bin = "";
    private readonly bool _durable;
    private int _pid;

    private PostgresServer(bool durable) => _durable = durable;

    /// <summary>The connection string of the database with the Orleans schema.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Creates a cluster, starts the server and installs the Orleans grain storage schema.</summary>
    /// <param name="cancellationToken">Stops waiting for the tools.</param>
    /// <returns>The running server; dispose it to stop it and delete its directory.</returns>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or did not start (the message says why).</exception>
    public static Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(durable: false, cancellationToken);

    /// <summary>Creates a cluster, starts the server and installs the Orleans grain storage schema.</summary>
    /// <param name="durable">
    /// <see langword="true"/>: PostgreSQL's defaults (<c>fsync</c> on, every commit flushed to disk), as a benchmark
    /// against durable stores needs; <see langword="false"/>: <c>fsync=off</c>, faster, for tests.
    /// </param>
    /// <param name="cancellationToken">Stops waiting for the tools.</param>
    /// <returns>The running server; dispose it to stop it and delete its directory.</returns>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or did not start (the message says why).</exception>
    public static Task<PostgresServer> StartAsync(bool durable, CancellationToken cancellationToken = default) =>
        ServerProcess.StartOrDisposeAsync(new PostgresServer(durable), s => s.InitializeAsync(cancellationToken));

    /// <summary>Stops the server (fast shutdown: open transactions are rolled back, clients are disconnected), keeping its data.</summary>
    /// <param name="cancellationToken">Stops waiting for pg_ctl.</param>
    /// <returns>A task that completes when the server has exited.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // pg_ctl -w returns once the postmaster is gone, so a connection attempt after this fails.
        await RunAsPostgres(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);
        _pid = 0;
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same data directory and port.</summary>
    /// <param name="cancellationToken">Stops waiting for pg_ctl.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    public Task RestartAsync(CancellationToken cancellationToken = default) => RunServerAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_pid != 0)
        {
            // SIGINT is PostgreSQL's fast shutdown: it ends the backends and exits cleanly.
            await ServerProcess.StopAsync(_pid, "INT", TimeSpan.FromSeconds(30));
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string DataDirectory => Path.Combine(_root!, "data");

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _bin = FindBinDirectory();
        _root = Directory.CreateTempSubdirectory("acorn-pg-").FullName;
        // The temp directory is private to root; the postgres user must reach the data directory inside it.
        await ServerProcess.RunAsync("chmod", ["755", _root], cancellationToken);
        var data = DataDirectory;
        Directory.CreateDirectory(data);
        if (ServerProcess.IsRoot)
        {
            await ServerProcess.RunAsync("chown", ["-R", "postgres:postgres", _root], cancellationToken);
        }

        // The C locale: initdb fails on a locale the environment names but the machine has not generated.
        await RunAsPostgres(Path.Combine(_bin, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], cancellationToken);
        Port = ServerProcess.FreeLoopbackPort();
        await RunServerAsync(cancellationToken);

        var admin = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database={Database};Maximum Pool Size=50";
        await OrleansPostgresSchema.InstallAsync(ConnectionString, cancellationToken);
    }

    private async Task RunServerAsync(CancellationToken cancellationToken)
    {
        // fsync off unless asked: tests stop PostgreSQL cleanly; durability across a power cut is not what they check.
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync={(_durable ? "on" : "off")} -c max_connections=200";
        await RunAsPostgres(Path.Combine(_bin, "pg_ctl"),
            ["-D", DataDirectory, "-o", options, "-l", Path.Combine(_root!, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
        _pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken))[0],
            System.Globalization.CultureInfo.InvariantCulture);
        // One watchdog per postmaster: a restarted server has a new PID (the old watchdog finds its PID gone).
        ServerProcess.StartOrphanWatchdog(_pid, "INT", "postgres", _root!);
    }

    private static string FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        var bin = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): run ./test.sh as root, " +
            "which installs it, or `apt-get install postgresql`.");
    }

    private static Task<string> RunAsPostgres(string tool, string[] arguments, CancellationToken cancellationToken) =>
        ServerProcess.IsRoot
            ? ServerProcess.RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments], cancellationToken)
            : ServerProcess.RunAsync(tool, arguments, cancellationToken);
}
