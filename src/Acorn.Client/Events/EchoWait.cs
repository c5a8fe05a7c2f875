using System.Collections.Immutable;

namespace Acorn.Client.Events;

/// <summary>
/// A write's wait for this client's subscriptions that watch its context: before sending, until each has connected
/// once (so it carries the write); after the answer, until each has delivered the write's change. Both waits are
/// bounded by <see cref="AcornClientOptions.SubscriptionCatchUpTimeout"/> and never fail the write.
/// </summary>
internal sealed class EchoWait : IDisposable
{
    private readonly List<(ChangeStream Stream, ChangeEcho Echo)> _echoes;
    private readonly TimeSpan _timeout;

    private EchoWait(List<(ChangeStream, ChangeEcho)> echoes, TimeSpan timeout)
    {
        _echoes = echoes;
        _timeout = timeout;
    }

    /// <summary>Registers the write with every stream watching <paramref name="contextId"/>; <see langword="null"/> when none does.</summary>
    public static EchoWait? Begin(ImmutableArray<ChangeStream> streams, string contextId, TimeSpan timeout)
    {
        if (streams.IsEmpty || timeout == TimeSpan.Zero)
        {
            return null;
        }

        List<(ChangeStream, ChangeEcho)>? echoes = null;
        foreach (var stream in streams)
        {
            if (stream.Watches(contextId) && stream.Register(contextId) is { } echo)
            {
                (echoes ??= []).Add((stream, echo));
            }
        }

        return echoes is null ? null : new EchoWait(echoes, timeout);
    }

    /// <summary>Waits until every stream has connected once, so none starts after the write.</summary>
    public async Task ConnectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_echoes.Select(e => e.Stream.FirstConnection)).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stream that cannot connect (a server that is down) does not hold writes up any longer: its
            // subscription reports the loss itself (a reset on resume, or its end).
        }
    }

    /// <summary>Waits until every stream has delivered the write acknowledged at <paramref name="order"/>.</summary>
    /// <remarks>Not cancellable: the write has happened, and the wait is bounded.</remarks>
    public async Task DeliveredAsync(long order)
    {
        foreach (var (stream, echo) in _echoes)
        {
            stream.Expect(echo, order);
        }

        try
        {
            await Task.WhenAll(_echoes.Select(e => e.Echo.Delivered)).WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The stream is slow or stuck; its heartbeat timeout reconnects it, and resuming delivers the change.
        }
    }

    public void Dispose()
    {
        foreach (var (stream, echo) in _echoes)
        {
            echo.Release();
            stream.Forget(echo);
        }
    }
}
