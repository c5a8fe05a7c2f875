namespace Acorn.Bench.Http;

/// <summary>What one wrk run measured (latencies in microseconds, as wrk records them).</summary>
internal sealed record WrkResult(
    long Requests,
    double DurationMicroseconds,
    long Bytes,
    long ConnectErrors,
    long ReadErrors,
    long WriteErrors,
    long StatusErrors,
    long Timeouts,
    double P50,
    double P90,
    double P99,
    double P999,
    double Max,
    double Mean)
{
    public double RequestsPerSecond => Requests / (DurationMicroseconds / 1_000_000);

    /// <summary>CPU time (user + system) the measured server process used during the run, from /proc; 0 when not measured.</summary>
    public double ServerCpuMicroseconds { get; init; }

    /// <summary>For a field-per-connection target: each field's last value a 2xx acknowledged; empty otherwise.</summary>
    public IReadOnlyDictionary<string, long> AcknowledgedFields { get; init; } = new Dictionary<string, long>();

    /// <summary>Acorn.Server's own metrics over the run (empty for the bare server).</summary>
    public ServerMetrics Metrics { get; init; } = ServerMetrics.Empty;

    /// <summary>The server's CPU time per response: what a request costs the server, whatever else loads the machine.</summary>
    public double ServerCpuPerRequest => Requests == 0 ? double.NaN : ServerCpuMicroseconds / Requests;

    /// <summary>Responses with a status of 400 or more (wrk counts 1xx-3xx as success; none of the routes measured answers 1xx or 3xx).</summary>
    public long Non2xx => StatusErrors;

    /// <summary>Requests that got no response: connect, read and write errors and timeouts.</summary>
    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;

    /// <summary>Responses with a 2xx status.</summary>
    public long Succeeded => Requests - StatusErrors;
}
