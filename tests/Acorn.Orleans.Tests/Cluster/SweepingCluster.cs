using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The fake-clock cluster whose directories sweep expired contexts every 100 ms of real time.</summary>
public sealed class SweepingCluster : FakeClockCluster
{
    /// <inheritdoc/>
    protected override void ConfigureContexts(ContextOptions options) => options.ExpirySweepInterval = TimeSpan.FromMilliseconds(100);
}
