using System.Globalization;
using System.Text;
using System.Text.Json;
using Acorn.Contexts;
using Microsoft.Extensions.Options;

namespace Acorn.Server.Events;

/// <summary>Writes the <see cref="ChangeLog"/> to one client as server-sent events, resuming after <c>Last-Event-ID</c>.</summary>
/// <remarks>
/// Event ids are <c>&lt;run&gt;-&lt;position&gt;</c>. A resume from another run, or from a position the log no longer
/// holds, gets a <c>reset</c> event first (the client should re-read the state it shows) and continues from now. The
/// stream ends when the client goes away or the host stops, so a shutdown never waits for open streams.
/// </remarks>
internal sealed class ChangeEventStream(ChangeLog log, IOptions<AcornServerOptions> options, IHostApplicationLifetime lifetime)
{
    public async Task RunAsync(HttpContext http, string? contextId)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        // Where the stream starts is settled before anything is written: a client that has the response headers may
        // write at once and expects this stream to carry that write (Acorn.Client waits for it).
        var cursor = log.Last;
        var batch = new List<ChangeLogEntry>();
        var lost = false;
        if (AsksToResume(http.Request, out var lastEventId))
        {
            if (ParsePosition(lastEventId) is { } from && log.TryReadAfter(from, batch))
            {
                cursor = from;
            }
            else
            {
                lost = true;
            }
        }

        await response.WriteAsync("retry: 2000\n\n", cancellationToken).ConfigureAwait(false);
        if (lost)
        {
            await WriteResetAsync(response, "the events after Last-Event-ID are no longer held", cursor, cancellationToken).ConfigureAwait(false);
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                batch.Clear();
                if (!log.TryReadAfter(cursor, batch))
                {
                    cursor = log.Last;
                    await WriteResetAsync(response, "this stream fell behind and events were dropped", cursor, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var entry in batch)
                {
                    await WriteAsync(response, entry, contextId, cancellationToken).ConfigureAwait(false);
                    cursor = entry.Position;
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                await WaitOrHeartbeatAsync(response, cursor, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the host is stopping: the stream simply ends.
        }
    }

    private async Task WaitOrHeartbeatAsync(HttpResponse response, long cursor, CancellationToken cancellationToken)
    {
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        beat.CancelAfter(options.Value.EventHeartbeatInterval);
        try
        {
            await log.WaitAfterAsync(cursor, beat.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await response.WriteAsync(": heartbeat\n\n", cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task WriteAsync(HttpResponse response, ChangeLogEntry entry, string? contextId, CancellationToken cancellationToken)
    {
        if (entry.Kind == ChangeLogEntryKind.Gap)
        {
            return WriteResetAsync(response, "the server dropped changes under load", entry.Position, cancellationToken);
        }

        var change = entry.Change!;
        if (contextId is not null && !string.Equals(change.ContextId, contextId, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var data = JsonSerializer.Serialize(ChangeEventBody.From(change), ServerJson.Options);
        return WriteEventAsync(response, entry.Position, KindName(change.Kind), data, cancellationToken);
    }

    // The reset's id is the position the stream goes on from, so a client resuming after it misses nothing more.
    private Task WriteResetAsync(HttpResponse response, string reason, long position, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { reason }, ServerJson.Options);
        return WriteEventAsync(response, position, "reset", data, cancellationToken);
    }

    private Task WriteEventAsync(HttpResponse response, long position, string name, string data, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append("id: ").Append(log.RunId).Append('-').Append(position.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: ").Append(name).Append('\n')
            .Append("data: ").Append(data).Append("\n\n")
            .ToString();
        return response.WriteAsync(text, cancellationToken);
    }

    private static bool AsksToResume(HttpRequest request, out string lastEventId)
    {
        // EventSource sends the header on reconnects; a client starting afresh can pass the query parameter instead.
        lastEventId = request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length == 0)
        {
            lastEventId = request.Query["lastEventId"].ToString();
        }

        return lastEventId.Length > 0;
    }

    private long? ParsePosition(string lastEventId)
    {
        var dash = lastEventId.LastIndexOf('-');
        if (dash < 0 || !lastEventId.AsSpan(0, dash).SequenceEqual(log.RunId))
        {
            return null;
        }

        return long.TryParse(lastEventId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var position) && position <= log.Last
            ? position
            : null;
    }

    private static string KindName(ContextChangeKind kind) => kind switch
    {
        ContextChangeKind.Created => "created",
        ContextChangeKind.Updated => "updated",
        ContextChangeKind.Deleted => "deleted",
        ContextChangeKind.Restored => "restored",
        ContextChangeKind.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown change kind."),
    };
}
