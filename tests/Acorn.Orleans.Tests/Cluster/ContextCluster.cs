using Microsoft.Extensions.DependencyInjection;
using Acorn.Contexts;
using Acorn.Orleans.Clustering;
using Acorn.Orleans.Tests.Cluster.Faults;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>A 2-silo in-process Orleans cluster whose context grains persist in a storage server of the fixture's own.</summary>
/// <remarks>Each test class gets its own (a class fixture), so a test that stops a silo cannot disturb another class.</remarks>
public abstract class ContextCluster : IAsyncLifetime
{
    /// <summary>How many recovery points a context keeps in these tests.</summary>
    public const int MaxRecoveryPoints = 3;

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>Acorn's context operations through the cluster's client.</summary>
    public ContextGrainClient Contexts { get; private set; } = null!;

    /// <summary>The write calls each context grain of the cluster has queued.</summary>
    public ContextCallCounter Calls { get; } = new();

    /// <summary>Counts the records the storage server holds for a context id, read directly from the server.</summary>
    public abstract Task<long> CountStoredRecordsAsync(string contextId, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        await StartStorageAsync();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAcornContextGrains();

            // The membership settings Acorn's silo host uses: a dead silo is declared dead within seconds.
            silo.UseAcornFailureDetection(new AcornClusterOptions());
            silo.AddIncomingGrainCallFilter(Calls);
            AddStorage(silo);
            ConfigureSilo(silo);
        });
        builder.ConfigureClient(client =>
        {
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.Services.AddAcornStorageErrors();
            ConfigureClient(client);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Contexts = new ContextGrainClient(Cluster.Client, new ContextOptions { MaxRecoveryPointsPerContext = MaxRecoveryPoints });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        await StopStorageAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the storage server.</summary>
    protected abstract ValueTask StartStorageAsync();

    /// <summary>Stops the storage server.</summary>
    protected abstract ValueTask StopStorageAsync();

    /// <summary>How long the client waits for a grain's answer: short, so that a call caught by a stopping silo fails soon.</summary>
    protected virtual TimeSpan ResponseTimeout => TimeSpan.FromSeconds(10);

    /// <summary>Adds to every silo's configuration (after the context grains and the storage).</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    /// <summary>Adds to the cluster client's configuration.</summary>
    protected virtual void ConfigureClient(IClientBuilder client)
    {
    }

    /// <summary>Registers the grain storage provider named <see cref="AcornOrleans.StorageName"/>.</summary>
    protected abstract void AddStorage(ISiloBuilder silo);
}
