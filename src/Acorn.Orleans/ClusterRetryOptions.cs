namespace Acorn.Orleans;

/// <summary>How long an Orleans-backed context client keeps retrying calls that a dead silo made fail.</summary>
/// <remarks>
/// When a silo dies, calls to the grains it hosted fail (<c>ConnectionFailedException</c>, rejections,
/// <c>SiloUnavailableException</c>) until the cluster's membership has declared it dead and the grains are activated
/// elsewhere from storage. Reads are retried through that window, writes only when the exception proves the request
/// never reached a grain (see <see cref="ContextGrainClient"/>): so a read is slower during it, and does not fail.
/// </remarks>
public sealed class ClusterRetryOptions
{
    /// <summary>
    /// How long to retry, from the first failure: longer than the silos need to declare a silo dead (with Acorn's
    /// membership settings, <c>AcornClusterOptions.ProbeTimeout</c> x <c>AcornClusterOptions.MissedProbes</c> plus the
    /// vote). Default 30 s.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause after the first failure; it doubles after each, up to 1 s. Default 50 ms.</summary>
    public TimeSpan FirstPause { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long one attempt of a read waits for its answer before it is sent again (within <see cref="RetryFor"/>). A read
    /// that was on its way through a silo as it died gets no answer until Orleans' response timeout (30 s by default);
    /// sending it again is harmless, and it reaches the grain wherever it lives by then. Default 5 s.
    /// </summary>
    public TimeSpan ReadAttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal ClusterRetryOptions Clone() => new() { RetryFor = RetryFor, FirstPause = FirstPause, ReadAttemptTimeout = ReadAttemptTimeout };
}
