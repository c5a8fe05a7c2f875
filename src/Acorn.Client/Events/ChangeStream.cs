using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Acorn.Client.Internal;
using Acorn.Client.Wire;
using Acorn.Contexts;
using Microsoft.Extensions.Logging;

namespace Acorn.Client.Events;

/// <summary>
/// Feeds one subscription from the server's event stream (<c>GET /events</c> or <c>GET /contexts/{id}/events</c>):
/// parses it with <see cref="SseParser"/>, reconnects with <c>Last-Event-ID</c> after a failure or a silent server,
/// passes the server's <c>reset</c> on as a <see cref="ContextChangeKind.Reset"/>, and ends the subscription with an
/// error when the server stays away past <see cref="AcornClientOptions.EventReconnectTimeout"/>.
/// </summary>
/// <remarks>
/// It also lets this client's writes wait until the stream has delivered their change (<see cref="ChangeEcho"/>), so a
/// subscriber sees its own writes before they return.
/// </remarks>
internal sealed partial class ChangeStream
{
    private static readonly HashSet<string> ChangeEvents = new(StringComparer.Ordinal) { "created", "updated", "deleted", "restored", "expired" };

    private readonly Lock _gate = new();
    private readonly List<ChangeEcho> _echoes = [];
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ContextChangeFeed _feed;
    private readonly Func<HttpClient> _http;
    private readonly AcornClientOptions _options;
    private readonly Uri _server;
    private readonly string _path;
    private readonly ILogger _logger;
    private bool _connected;
    private bool _ended;
    private string? _lastEventId;
    private long? _downSince;

    public ChangeStream(ContextChangeFeed feed, string? contextId, Func<HttpClient> http, AcornClientOptions options, ILogger logger)
    {
        _feed = feed;
        ContextId = contextId;
        _http = http;
        _options = options;
        _server = options.BaseAddress!;
        _path = contextId is null ? "events" : $"contexts/{Uri.EscapeDataString(contextId)}/events";
        _logger = logger;
    }

    /// <summary>The task that runs the stream, for the client to wait for when it is disposed.</summary>
    public Task? Running { get; set; }

    /// <summary>The context watched, or <see langword="null"/> for all.</summary>
    public string? ContextId { get; }

    /// <summary>Completes when the stream first connected (the server has fixed where it starts), or ended without ever connecting.</summary>
    public Task FirstConnection => _firstConnection.Task;

    public bool Watches(string contextId) => ContextId is null || string.Equals(ContextId, contextId, StringComparison.Ordinal);

    /// <summary>Registers a write about to be sent to <paramref name="contextId"/>; <see langword="null"/> when the stream has ended.</summary>
    public ChangeEcho? Register(string contextId)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return null;
            }

            var echo = new ChangeEcho(contextId);
            _echoes.Add(echo);
            return echo;
        }
    }

    /// <summary>The write was acknowledged at <paramref name="order"/>; a stream that is not connected now is not waited for.</summary>
    public void Expect(ChangeEcho echo, long order)
    {
        lock (_gate)
        {
            if (_connected)
            {
                echo.Expect(order);
            }
            else
            {
                echo.Release();
            }
        }
    }

    public void Forget(ChangeEcho echo)
    {
        lock (_gate)
        {
            _echoes.Remove(echo);
        }
    }

    /// <summary>Connects, reads and reconnects until <paramref name="stopping"/> (the subscription's disposal) or a failure that ends it; never throws.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Exception? failure = null;
        var delay = _options.RetryDelay;
        Exception? lastError = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await ReadOnceAsync(stopping).ConfigureAwait(false) is { } interval)
                {
                    delay = interval;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsPermanent(ex))
            {
                failure = ex;
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                lastError = ex;
                _downSince ??= Stopwatch.GetTimestamp();
                Log.Disconnected(_logger, _server, _path, ex.Message);
            }

            Disconnected();
            if (_downSince is { } since && Stopwatch.GetElapsedTime(since) > _options.EventReconnectTimeout)
            {
                failure = new ContextStoreException(
                    ContextId,
                    $"The event stream from the Acorn server at {_server} has been gone for more than {_options.EventReconnectTimeout}: {lastError?.Message} "
                    + "The subscription ended; subscribe again once the server is back, and re-read what you show.",
                    lastError);
                break;
            }

            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            ClientTelemetry.EventReconnects.Add(1);
        }

        End(failure);
    }

    /// <summary>One connection, read to its end; returns the reconnection interval the server asked for, if any.</summary>
    private async Task<TimeSpan?> ReadOnceAsync(CancellationToken stopping)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (_lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", _lastEventId);
        }

        using var response = await _http().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await Problem.ReadAsync(response, stopping).ConfigureAwait(false);
            throw problem.Status >= HttpStatusCode.InternalServerError
                ? new HttpRequestException($"The event stream answered {problem}", null, problem.Status)
                : ErrorMapping.ToException(problem, _server, ContextId, RequestKind.Read);
        }

        Connected();
        var body = await response.Content.ReadAsStreamAsync(stopping).ConfigureAwait(false);
        var watched = new HeartbeatStream(body, _options.EventHeartbeatTimeout, stopping);
        await using (watched.ConfigureAwait(false))
        {
            var parser = SseParser.Create(watched, Parse);
            await foreach (var item in parser.EnumerateAsync(stopping).ConfigureAwait(false))
            {
                _lastEventId = item.EventId ?? _lastEventId;
                Deliver(item.EventType, item.Data);
            }

            // The server ended the stream (it is stopping): reconnect and resume.
            return parser.ReconnectionInterval is { } interval && interval > TimeSpan.Zero ? interval : null;
        }
    }

    private static ChangeEventBody? Parse(string eventType, ReadOnlySpan<byte> data) =>
        ChangeEvents.Contains(eventType) ? JsonSerializer.Deserialize(data, ClientJson.Default.ChangeEventBody) : null;

    private void Deliver(string eventType, ChangeEventBody? change)
    {
        if (change is not null)
        {
            // Into the subscription first, then the writers waiting for it: when a write returns, its change is there.
            _feed.Publish(change.Kind, change.ContextId, change.Version, change.State?.ToState(), change.Timestamp);
            var order = ChangeOrder.Of(change.Kind, change.Version);
            lock (_gate)
            {
                foreach (var echo in _echoes)
                {
                    if (string.Equals(echo.ContextId, change.ContextId, StringComparison.Ordinal))
                    {
                        echo.Saw(order);
                    }
                }
            }
        }
        else if (eventType == "reset")
        {
            ClientTelemetry.EventResets.Add(1);
            Log.Reset(_logger, _server, _path);
            _feed.Publish(ContextChangeKind.Reset, ContextId ?? "", 0, null, DateTimeOffset.UtcNow);
            ReleaseEchoes();
        }
    }

    private void Connected()
    {
        _downSince = null;
        lock (_gate)
        {
            _connected = true;
        }

        _firstConnection.TrySetResult();
    }

    private void Disconnected()
    {
        lock (_gate)
        {
            _connected = false;
        }

        ReleaseEchoes();
    }

    private void ReleaseEchoes()
    {
        lock (_gate)
        {
            foreach (var echo in _echoes)
            {
                echo.Release();
            }
        }
    }

    private void End(Exception? failure)
    {
        lock (_gate)
        {
            _ended = true;
            _connected = false;
        }

        ReleaseEchoes();
        _firstConnection.TrySetResult();
        if (failure is not null)
        {
            Log.Ended(_logger, _server, _path, failure);
        }

        _feed.Complete(failure);
    }

    // A refused key, a refused request or an unreadable event will not get better by reconnecting.
    private static bool IsPermanent(Exception exception) =>
        exception is UnauthorizedAccessException or ContextException or InvalidOperationException or JsonException;

    /// <summary>Log messages of the client's event streams: event ids 6010-6019.</summary>
    private static partial class Log
    {
        [LoggerMessage(6010, LogLevel.Information, "Event stream {Path} of {Server} disconnected ({Reason}); reconnecting with Last-Event-ID")]
        public static partial void Disconnected(ILogger logger, Uri server, string path, string reason);

        [LoggerMessage(6011, LogLevel.Information, "Event stream {Path} of {Server} reset: changes were lost (the server restarted or dropped them); subscribers re-read")]
        public static partial void Reset(ILogger logger, Uri server, string path);

        [LoggerMessage(6012, LogLevel.Error, "Event stream {Path} of {Server} ended")]
        public static partial void Ended(ILogger logger, Uri server, string path, Exception exception);
    }
}
