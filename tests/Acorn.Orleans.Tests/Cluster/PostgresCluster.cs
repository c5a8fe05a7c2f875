using Acorn.Orleans.Tests.Servers;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>A 2-silo in-process Orleans cluster whose context grains persist in the fixture's own PostgreSQL.</summary>
/// <remarks>Each test class gets its own (a class fixture), so a test that stops a silo cannot disturb another class.</remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>How many recovery points a context keeps in these tests.</summary>
    public const int MaxRecoveryPoints = 3;

    /// <summary>The PostgreSQL server the grains persist in.</summary>
    public PostgresServer Postgres { get; } = new();

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>Acorn's context operations through the cluster's client.</summary>
    public ContextGrainClient Contexts { get; private set; } = null!;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var connectionString = Postgres.ConnectionString;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAcornContextGrains(o => o.MaxRecoveryPointsPerContext = MaxRecoveryPoints);
            silo.AddAdoNetGrainStorage(AcornOrleans.StorageName, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        // A call caught by a stopping silo fails within this bound instead of Orleans' 30 s default.
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Contexts = new ContextGrainClient(Cluster.Client);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }
}
