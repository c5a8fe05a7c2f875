using System.Diagnostics.Metrics;

namespace Acorn.Server.Security;

/// <summary>
/// Reports requests refused for their API key without letting a scan flood the log: each one is counted
/// (<c>acorn.server.authentication.failures</c>, tagged with the reason) and logged at Debug, and a Warning says how many
/// there were at most once per <see cref="WarningInterval"/>.
/// </summary>
internal sealed partial class AuthenticationFailures
{
    /// <summary>The meter of the server's own instruments.</summary>
    public const string MeterName = "Acorn.Server";

    /// <summary>The shortest time between two Warning lines.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly Counter<long> _failures;
    private readonly TimeProvider _time;
    private readonly ILogger<AuthenticationFailures> _logger;
    private readonly long _intervalTicks;
    private long _unreported;
    private long _nextWarning;

    public AuthenticationFailures(IMeterFactory meters, TimeProvider time, ILogger<AuthenticationFailures> logger)
    {
        _failures = meters.Create(MeterName).CreateCounter<long>(
            "acorn.server.authentication.failures", "{request}", "Requests refused with 401 for a missing, malformed or unknown API key.");
        _time = time;
        _logger = logger;
        _intervalTicks = (long)(WarningInterval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Reports one request answered 401; <paramref name="reason"/> is a short tag such as <c>unknown-key</c>.</summary>
    public void Record(HttpContext context, string reason)
    {
        _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        Log.Refused(_logger, context.Request.Method, context.Request.Path, remote, reason);

        // Lock-free: whoever moves the due time forward writes the Warning, with every failure counted since the last one.
        Interlocked.Increment(ref _unreported);
        var now = _time.GetTimestamp();
        var due = Volatile.Read(ref _nextWarning);
        if (now >= due && Interlocked.CompareExchange(ref _nextWarning, now + _intervalTicks, due) == due)
        {
            Log.RefusedSummary(_logger, Interlocked.Exchange(ref _unreported, 0), remote, reason, WarningInterval);
        }
    }

    /// <summary>Log messages of API-key authentication: event ids 4040-4049.</summary>
    private static partial class Log
    {
        [LoggerMessage(4040, LogLevel.Debug, "{Method} {Path} from {RemoteAddress} answered 401: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string path, string remoteAddress, string reason);

        [LoggerMessage(4041, LogLevel.Warning,
            "{Count} request(s) answered 401 for their API key since the last such line (the latest from {RemoteAddress}: {Reason}). "
            + "This line comes at most every {Interval}; the counter acorn.server.authentication.failures counts each one, and Debug logs each one.")]
        public static partial void RefusedSummary(ILogger logger, long count, string remoteAddress, string reason, TimeSpan interval);
    }
}
