using Acorn.Orleans.Clustering;
using Acorn.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Acorn.Orleans.Tests.Processes;

/// <summary>
/// The shape <c>samples/cluster/run.sh</c> starts: PostgreSQL with the membership and grain storage schemas, 3 silo
/// host processes with PostgreSQL clustering and storage, and a cluster client in the test process.
/// </summary>
public sealed class SiloProcessCluster : IAsyncLifetime
{
    /// <summary>How many silo processes run.</summary>
    public const int SiloCount = 3;

    private readonly List<SiloProcess> _silos = [];
    private PostgresServer? _postgres;
    private IHost? _client;
    private string? _directory;

    /// <summary>The silo processes.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>The cluster client.</summary>
    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _postgres = await PostgresServer.StartAsync(ct);
        await InstallClusteringSchemaAsync(_postgres.ConnectionString, ct);
        _directory = Directory.CreateTempSubdirectory("acorn-silos-").FullName;
        var cluster = new AcornClusterOptions
        {
            Clustering = ClusterMembership.Postgres, Postgres = _postgres.ConnectionString, ClusterId = $"kill-{Guid.NewGuid():N}",
        };
        var starts = Enumerable.Range(1, SiloCount).Select(n => SiloProcess.StartAsync(SiloDll(), _directory, $"silo-{n}",
        [
            "--clustering", "Postgres", "--postgres", cluster.Postgres, "--storage", "Postgres",
            "--silo-port", FreePort(), "--gateway-port", FreePort(), $"--Acorn:Orleans:ClusterId={cluster.ClusterId}",
        ], ct));
        _silos.AddRange(await Task.WhenAll(starts));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseAcornClustering(cluster));
        builder.Services.AddAcornStorageErrors();
        _client = builder.Build();
        await _client.StartAsync(ct);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync(CancellationToken.None);
            _client.Dispose();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The silo host built beside this test project: same configuration, <c>src/Acorn.Orleans.Silo/bin/&lt;configuration&gt;/net10.0</c>.</summary>
    private static string SiloDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repository, "src", "Acorn.Orleans.Silo", "bin", configuration, output.Name, "Acorn.Orleans.Silo.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"the silo host is not built at {dll}");
    }

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task InstallClusteringSchemaAsync(string connectionString, CancellationToken cancellationToken)
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "OrleansPostgresClustering.sql"), cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
