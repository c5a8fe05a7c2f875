using System.Diagnostics;
using Acorn.Orleans.Clustering;

namespace Acorn.Server.Storage;

/// <summary>
/// Retries the Orleans client's first connection for <see cref="AcornClusterOptions.ConnectTimeout"/>, then gives up,
/// so a server pointed at a cluster that is not there stops at start with <see cref="ClusterUnreachableException"/>
/// instead of waiting forever (or failing at the first request).
/// </summary>
internal sealed class BoundedConnectionRetry(AcornClusterOptions cluster) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        _attempts++;
        if (_elapsed.Elapsed + Pause > cluster.ConnectTimeout)
        {
            throw new ClusterUnreachableException(
                $"Cannot reach the Orleans {cluster.Describe()}: {_attempts} attempts in {_elapsed.Elapsed.TotalSeconds:0} s failed " +
                $"(last: {exception.GetBaseException().Message}). Start its silos (src/Acorn.Orleans.Silo) with the same " +
                $"{AcornClusterOptions.SectionName} settings (Clustering, ClusterId, ServiceId, connection string), or use --store sqlite.",
                exception);
        }

        await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
