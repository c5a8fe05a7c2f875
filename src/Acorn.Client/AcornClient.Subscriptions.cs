using System.Collections.Immutable;
using Acorn.Client.Events;
using Acorn.Contexts;

namespace Acorn.Client;

public sealed partial class AcornClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// Opens the server's event stream for the subscription (<c>GET /contexts/{id}/events</c>, or <c>GET /events</c>)
    /// in the background and returns at once. This client's writes to a watched context wait until the stream has
    /// connected and delivered their change (see <see cref="AcornClientOptions.SubscriptionCatchUpTimeout"/>), so a
    /// subscriber sees its own writes, in order, before they return; other processes' writes arrive as the server
    /// sends them.
    /// </para>
    /// <para>
    /// A broken or silent stream (no heartbeat within <see cref="AcornClientOptions.EventHeartbeatTimeout"/>) is opened
    /// again with <c>Last-Event-ID</c>, so nothing is missed; when the server cannot resume (it restarted, or dropped
    /// changes) the subscription receives a <see cref="ContextChangeKind.Reset"/>: re-read what you show. When the
    /// server stays away longer than <see cref="AcornClientOptions.EventReconnectTimeout"/>, or refuses the key, the
    /// subscription ends and its reads throw why. Dispose it to close the stream.
    /// </para>
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The client has been disposed.</exception>
    public ContextChangeSubscription Subscribe(string? contextId = null)
    {
        if (contextId is not null)
        {
            ContextId.Validate(contextId);
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var feed = new ContextChangeFeed(_options.ChangeFeedCapacity);
        var subscription = feed.Subscribe(contextId);
        var stream = new ChangeStream(feed, contextId, () => _httpClients.CreateClient(EventsHttpClientName), _options, _logger);
        ImmutableInterlocked.Update(ref _streams, static (streams, s) => streams.Add(s), stream);
        stream.Running = RunStreamAsync(stream, subscription);
        return subscription;
    }

    private async Task RunStreamAsync(ChangeStream stream, ContextChangeSubscription subscription)
    {
        // Yields first, so Subscribe returns before the first connection attempt.
        await Task.Yield();
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(subscription.Unsubscribed, _disposing.Token);
            await stream.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            ImmutableInterlocked.Update(ref _streams, static (streams, s) => streams.Remove(s), stream);
        }
    }
}
