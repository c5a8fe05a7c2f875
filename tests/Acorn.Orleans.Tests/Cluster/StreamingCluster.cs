namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The PostgreSQL cluster with the change stream provider on silos and client, as a deployment for several servers has.</summary>
public sealed class StreamingCluster : PostgresCluster
{
    /// <inheritdoc/>
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.AddMemoryStreams(AcornOrleans.StreamProviderName).AddMemoryGrainStorage("PubSubStore");

    /// <inheritdoc/>
    protected override void ConfigureClient(IClientBuilder client) => client.AddMemoryStreams(AcornOrleans.StreamProviderName);
}
