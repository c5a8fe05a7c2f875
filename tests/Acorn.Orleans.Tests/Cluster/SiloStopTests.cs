namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The hosting silo shuts down gracefully (StopSiloAsync) during the writes.</summary>
public sealed class SiloStopTests(PostgresCluster cluster) : SiloFailureTests(cluster), IClassFixture<PostgresCluster>
{
    [Fact]
    public Task Stopping_The_Silo_That_Hosts_A_Context_Loses_No_Acknowledged_Write() =>
        LosingTheHostingSiloLosesNoAcknowledgedWriteAsync(hardKill: false);
}
