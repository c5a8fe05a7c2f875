namespace Acorn.Client;

/// <summary>Where the Acorn server is, the key to use, and how the client waits, retries and streams.</summary>
public sealed class AcornClientOptions
{
    /// <summary>The server's address, for example <c>http://127.0.0.1:5080</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key sent as <c>Authorization: Bearer</c> (the server's <c>ACORN_API_KEY</c> or <c>data/api-key.txt</c>). Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt of a request may take before it counts as failed. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a request is tried again: a read after any transient failure, a write only when it provably never
    /// reached the server (the connection could not be opened). 0 to 10; default 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The delay before the first retry; later ones back off exponentially, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How many compare-and-sets a read-modify-write (<see cref="AcornClient.UpdateAsync(string, Func{Contexts.ContextState, Contexts.ContextContent}, CancellationToken)"/>)
    /// or an unconditional delete tries before it gives up with <see cref="ContextUpdateContendedException"/>. Default 32.
    /// </summary>
    public int MaxUpdateAttempts { get; set; } = 32;

    /// <summary>How many unread changes each subscription buffers before it drops its oldest (and reports a reset). Default 1,024.</summary>
    public int ChangeFeedCapacity { get; set; } = 1024;

    /// <summary>
    /// How long an event stream may stay silent (no change and no heartbeat) before the client drops the connection
    /// and reconnects. Keep it a few times the server's <c>Acorn:Server:EventHeartbeatInterval</c> (15 s by default).
    /// Default 45 s.
    /// </summary>
    public TimeSpan EventHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How long a subscription keeps reconnecting to a server that does not answer before it ends with a
    /// <see cref="Contexts.ContextStoreException"/>. Default 2 minutes.
    /// </summary>
    public TimeSpan EventReconnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a write waits for this client's subscriptions that watch its context to receive its change, so a
    /// subscriber sees its own writes before they return (over loopback: a millisecond or two). A subscription that is
    /// reconnecting is not waited for. <see cref="TimeSpan.Zero"/> turns the wait off. Default 5 s.
    /// </summary>
    public TimeSpan SubscriptionCatchUpTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
