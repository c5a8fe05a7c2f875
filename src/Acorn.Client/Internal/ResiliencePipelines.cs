using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace Acorn.Client.Internal;

/// <summary>
/// The resilience pipeline built for Acorn's API, not the standard one: the standard handler retries every method
/// (a retried create answering 409, or compare-and-set answering 412, would hide whether the first attempt applied),
/// and its total timeout would end event streams, which get their own client with the heartbeat as their timeout.
/// </summary>
/// <remarks>
/// Two pipelines, chosen per request: reads (GET) retry any transient failure (no answer, a timeout, 408, 429, 5xx);
/// writes retry only a request that provably never left, a connection that could not be opened. Both give each
/// attempt <see cref="AcornClientOptions.RequestTimeout"/>. No circuit breaker: a client of one server has no other to
/// fall back to, and its callers see each failure typed.
/// </remarks>
internal static class ResiliencePipelines
{
    public const string Reads = "reads";
    public const string Writes = "writes";

    /// <summary>Picks the pipeline: <see cref="Reads"/> for GET, <see cref="Writes"/> for everything else.</summary>
    public static string Select(HttpRequestMessage request) => request.Method == HttpMethod.Get ? Reads : Writes;

    public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, string instance, AcornClientOptions options)
    {
        if (options.MaxRetries > 0)
        {
            var reads = instance == Reads;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = reads
                    ? static args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome))
                    : static args => ValueTask.FromResult(NeverSent(args.Outcome.Exception)),
            });
        }

        pipeline.AddTimeout(options.RequestTimeout);
    }

    /// <summary>Whether a request failed before any of it could reach the server: no connection was opened.</summary>
    public static bool NeverSent(Exception? exception) =>
        exception is HttpRequestException
        {
            HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
        };
}
