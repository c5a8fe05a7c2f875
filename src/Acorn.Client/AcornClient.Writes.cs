using System.Diagnostics.CodeAnalysis;
using Acorn.Client.Events;
using Acorn.Client.Internal;
using Acorn.Contexts;

namespace Acorn.Client;

public sealed partial class AcornClient
{
    /// <inheritdoc/>
    /// <remarks>A create that may have reached the server before the connection failed is not retried: its outcome is unknown.</remarks>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        ArgumentNullException.ThrowIfNull(content);
        return await TracedAsync("create", id, () => WriteStateAsync(
            id,
            () => new HttpRequestMessage(HttpMethod.Post, "contexts") { Content = RequestBodies.Context(id, content, withId: true) },
            RequestKind.Write,
            ContextChangeKind.Created,
            cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks><paramref name="expectedVersion"/> is sent as <c>If-Match: "&lt;version&gt;"</c>.</remarks>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        ArgumentNullException.ThrowIfNull(content);
        return await TracedAsync("update", id, () => PutAsync(id, content, expectedVersion, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A compare-and-set loop: reads the context, runs <paramref name="update"/> here, and writes with <c>If-Match</c>;
    /// when another writer got in first (412) it reads and runs the function again, up to
    /// <see cref="AcornClientOptions.MaxUpdateAttempts"/> times. This client's own updates of one context wait for each
    /// other rather than compete. For a context many processes write at once, prefer <see cref="PatchAsync"/>.
    /// </remarks>
    /// <exception cref="ContextUpdateContendedException">Every attempt was beaten by another writer; nothing was changed.</exception>
    public async ValueTask<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        ArgumentNullException.ThrowIfNull(update);
        return await TracedAsync("update-function", id, () => CompareAndSetAsync(id, update, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A <c>PATCH</c> with the patch's media type: the server applies it in the context's own order, so concurrent
    /// patches from any number of processes chain without retries.
    /// </remarks>
    /// <exception cref="InvalidContextPatchException">The server refused the patch document as malformed.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        ArgumentNullException.ThrowIfNull(patch);
        return await TracedAsync("patch", id, () => WriteStateAsync(
            id,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, ContextPath(id)) { Content = RequestBodies.Patch(patch) };
                IfMatch(request, expectedVersion);
                return request;
            },
            RequestKind.Patch,
            ContextChangeKind.Updated,
            cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The HTTP delete answers without the state, so the client reads the context and deletes exactly that version
    /// (<c>If-Match</c>); without <paramref name="expectedVersion"/>, a newer version written in between is read and
    /// deleted instead, up to <see cref="AcornClientOptions.MaxUpdateAttempts"/> times.
    /// </remarks>
    /// <exception cref="ContextUpdateContendedException">Without an expected version, every attempt was beaten by another writer; nothing was deleted.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync("delete", id, () => DeleteCoreAsync(id, expectedVersion, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ContextWriteOutcomeUnknownException">The request may have reached the server, and no answer came back.</exception>
    public async ValueTask<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync("restore", id, () => WriteStateAsync(
            id,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"{ContextPath(id)}/recovery-points/{recoveryPointId}/restore");
                IfMatch(request, expectedVersion);
                return request;
            },
            RequestKind.Write,
            ContextChangeKind.Restored,
            cancellationToken)).ConfigureAwait(false);
    }

    private Task<ContextState> PutAsync(string id, ContextContent content, long? expectedVersion, CancellationToken cancellationToken) =>
        WriteStateAsync(
            id,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, ContextPath(id)) { Content = RequestBodies.Context(id, content, withId: false) };
                IfMatch(request, expectedVersion);
                return request;
            },
            RequestKind.Write,
            ContextChangeKind.Updated,
            cancellationToken);

    /// <summary>A write answered with the new state, returned once this client's subscriptions that watch the context have it.</summary>
    private async Task<ContextState> WriteStateAsync(
        string id, Func<HttpRequestMessage> build, RequestKind kind, ContextChangeKind change, CancellationToken cancellationToken)
    {
        using var request = build();
        return await WriteAsync(id, request, kind, ReadStateAsync, state => ChangeOrder.Of(change, state.Version), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a write and reads its answer; before it returns, every subscription of this client that watches the
    /// context has received the write's change (bounded by <see cref="AcornClientOptions.SubscriptionCatchUpTimeout"/>).
    /// </summary>
    private async Task<ContextState> WriteAsync(
        string id,
        HttpRequestMessage request,
        RequestKind kind,
        Func<HttpResponseMessage, CancellationToken, Task<ContextState>> read,
        Func<ContextState, long> order,
        CancellationToken cancellationToken)
    {
        using var echo = EchoWait.Begin(_streams, id, _options.SubscriptionCatchUpTimeout);
        if (echo is not null)
        {
            await echo.ConnectedAsync(cancellationToken).ConfigureAwait(false);
        }

        var state = await CallAsync(request, id, kind, read, cancellationToken).ConfigureAwait(false);
        if (echo is not null)
        {
            await echo.DeliveredAsync(order(state)).ConfigureAwait(false);
        }

        return state;
    }

    [SuppressMessage("Concurrency", "ACRN003", Justification = "The context's turn in this client spans its read-modify-write: that is what keeps this client's own updates from beating each other.")]
    private async Task<ContextState> CompareAndSetAsync(string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken)
    {
        using var turn = await _updates.LockAsync(id, cancellationToken).ConfigureAwait(false);
        var attempts = 0;
        long seen = 0;
        try
        {
            while (attempts < _options.MaxUpdateAttempts)
            {
                attempts++;
                var current = await GetCoreAsync(id, cancellationToken).ConfigureAwait(false);
                seen = current.Version;
                try
                {
                    return await PutAsync(id, update(current), current.Version, cancellationToken).ConfigureAwait(false);
                }
                catch (ContextVersionConflictException conflict)
                {
                    // Another process wrote first: read its version and compute again.
                    seen = conflict.ActualVersion;
                }
            }

            throw new ContextUpdateContendedException(id, attempts, seen);
        }
        finally
        {
            ClientTelemetry.UpdateAttempts.Record(attempts);
        }
    }

    private async Task<ContextState> DeleteCoreAsync(string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var attempts = 0;
        long seen = 0;
        while (attempts < _options.MaxUpdateAttempts)
        {
            attempts++;
            var current = await GetCoreAsync(id, cancellationToken).ConfigureAwait(false);
            seen = current.Version;
            if (expectedVersion is { } expected && expected != current.Version)
            {
                throw new ContextVersionConflictException(id, expected, current.Version);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, ContextPath(id));
                IfMatch(request, current.Version);
                return await WriteAsync(
                    id,
                    request,
                    RequestKind.Write,
                    (_, _) => Task.FromResult(current),
                    deleted => ChangeOrder.Of(ContextChangeKind.Deleted, deleted.Version),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ContextVersionConflictException conflict) when (expectedVersion is null)
            {
                // Written in between: delete the newer version instead, as a delete without a version asks.
                seen = conflict.ActualVersion;
            }
        }

        throw new ContextUpdateContendedException(id, attempts, seen);
    }
}
