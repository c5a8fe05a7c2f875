using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// The cluster for the shared context contract: its silos enforce content limits above any a test configures (each
/// manager checks its own), and do not sweep on their own.
/// </summary>
public sealed class ContractCluster : FakeClockCluster
{
    /// <summary>Orleans' default: no silo stops here, and a 10 MB create under a loaded CI machine takes more than 10 s.</summary>
    protected override TimeSpan ResponseTimeout => TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    protected override void ConfigureContexts(ContextOptions options)
    {
        options.MaxDataBytes = 16 * 1024 * 1024;

        // The contract's expiry test sweeps by hand and counts what its sweep removed.
        options.ExpirySweepInterval = TimeSpan.Zero;
    }
}
