namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The hosting silo dies without shutting down (KillSiloAsync) during the writes.</summary>
public sealed class SiloKillTests(PostgresCluster cluster) : SiloFailureTests(cluster), IClassFixture<PostgresCluster>
{
    [Fact]
    public Task Killing_The_Silo_That_Hosts_A_Context_Loses_No_Acknowledged_Write() =>
        LosingTheHostingSiloLosesNoAcknowledgedWriteAsync(hardKill: true);
}
