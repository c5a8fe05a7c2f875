using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Acorn.Client.Events;
using Acorn.Client.Internal;
using Acorn.Client.Wire;
using Acorn.Contexts;
using Acorn.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Acorn.Client;

/// <summary>
/// <see cref="IContextManager"/> over HTTP: the contexts of an Acorn server, for another process, with the same typed
/// errors and guarantees as <see cref="ContextManager"/> in-process.
/// </summary>
/// <remarks>
/// <para>
/// Register it with <c>services.AddAcornClient(o =&gt; { o.BaseAddress = ...; o.ApiKey = ...; })</c>; it is also the
/// container's <see cref="IContextManager"/> unless another is registered first, so code written against the
/// interface moves between a library host, a server and a cluster by configuration alone.
/// </para>
/// <para>
/// Reads are retried after transient failures. A write is retried only when it provably never reached the server (the
/// connection could not be opened): any other failure of a write throws <see cref="ContextWriteOutcomeUnknownException"/>,
/// because a retried create answering 409, or a retried compare-and-set answering 412, cannot tell whether the first
/// attempt applied. Read the context to find out: its version says whether the write happened.
/// </para>
/// <para>
/// Where the server cannot do what the interface asks in one request, the client composes requests with
/// compare-and-set, so the result is still linearizable: <see cref="UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// reads, applies the function and writes with <c>If-Match</c>, again on a conflict; <see cref="DeleteAsync"/> reads the
/// state it returns and deletes that version. <see cref="RemoveExpiredAsync"/> is the server's own maintenance and is
/// not supported.
/// </para>
/// </remarks>
public sealed partial class AcornClient : IContextManager, IAsyncDisposable
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client for requests (with the client's resilience pipeline).</summary>
    public const string HttpClientName = "Acorn.Client";

    /// <summary>The name of the <see cref="IHttpClientFactory"/> client for event streams (no total timeout: the heartbeat watches them).</summary>
    public const string EventsHttpClientName = "Acorn.Client.Events";

    private readonly IHttpClientFactory _httpClients;
    private readonly AcornClientOptions _options;
    private readonly ILogger _logger;

    // One read-modify-write per context at a time from this client: its updates wait for each other here instead of
    // beating each other's compare-and-sets on the server.
    private readonly KeyedAsyncLock<string> _updates = new(StringComparer.Ordinal, "Acorn.Client.updates");
    private readonly CancellationTokenSource _disposing = new();
    private ImmutableArray<ChangeStream> _streams = [];
    private int _disposed;

    /// <summary>Creates a client; <c>AddAcornClient</c> does it for a host.</summary>
    /// <param name="httpClients">The factory with the clients <see cref="HttpClientName"/> and <see cref="EventsHttpClientName"/> configured (as <c>AddAcornClient</c> does).</param>
    /// <param name="options">The server, the key and the timeouts.</param>
    /// <param name="logger">Where event-stream reconnects and failures are logged; none when <see langword="null"/>.</param>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each problem.</exception>
    public AcornClient(IHttpClientFactory httpClients, IOptions<AcornClientOptions> options, ILogger<AcornClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        AcornClientOptionsValidator.ThrowIfInvalid(_options);
        _httpClients = httpClients;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        BaseAddress = _options.BaseAddress!;
    }

    /// <summary>The server this client talks to.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc/>
    /// <remarks>Asks the server for one context: it fails at once when the server is unreachable or refuses the key.</remarks>
    /// <exception cref="AcornAccessDeniedException">The server refused the API key.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        TracedAsync("initialize", null, () => ReadPageAsync(1, null, null, cancellationToken));

    /// <inheritdoc/>
    /// <remarks>One request: the <c>count</c> of a one-item page.</remarks>
    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        (await TracedAsync("count", null, () => ReadPageAsync(1, null, null, cancellationToken)).ConfigureAwait(false)).Count;

    /// <inheritdoc/>
    public async ValueTask<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync("find", id, () => FindCoreAsync(id, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<ContextState> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        return await TracedAsync("get", id, () => GetCoreAsync(id, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: expired contexts are removed by the server's own sweeper.</exception>
    public ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            $"Removing expired contexts is the Acorn server's own maintenance: its sweeper (Acorn:Contexts:ExpirySweepInterval) deletes them through "
            + $"its write path, which a client of {BaseAddress} cannot run. Expired contexts are already hidden from every read, and subscribers see an "
            + "Expired change when the sweeper removes one.");

    /// <summary>Ends every subscription of this client (their reads end) and waits for their streams to close.</summary>
    /// <returns>A task that completes when every event stream has closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_streams.Select(stream => stream.Running ?? Task.CompletedTask)).ConfigureAwait(false);
        _disposing.Dispose();
    }

    private HttpClient Http => _httpClients.CreateClient(HttpClientName);

    private static string ContextPath(string id) => $"contexts/{Uri.EscapeDataString(id)}";

    private async Task<T> TracedAsync<T>(string operation, string? contextId, Func<Task<T>> body)
    {
        using var traced = ClientOperation.Start(operation, BaseAddress, contextId);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            traced.Failed(ex);
            throw;
        }
    }

    private async Task<ContextState?> FindCoreAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ContextPath(id));
        using var response = await SendAsync(request, id, RequestKind.Read, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync(response, id, RequestKind.Read, ReadStateAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ContextState> GetCoreAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ContextPath(id));
        return await CallAsync(request, id, RequestKind.Read, ReadStateAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and reads its answer, turning an error answer into the matching typed exception.</summary>
    private async Task<T> CallAsync<T>(
        HttpRequestMessage request,
        string? contextId,
        RequestKind kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, contextId, kind, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, contextId, kind, read, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(
        HttpResponseMessage response,
        string? contextId,
        RequestKind kind,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await Problem.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw ErrorMapping.ToException(problem, BaseAddress, contextId, kind);
        }

        try
        {
            return await read(response, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var what = $"its answer ({(int)response.StatusCode}) could not be read: {ex.Message}.";
            throw kind == RequestKind.Read
                ? new ContextStoreException(contextId, $"The Acorn server at {BaseAddress} answered, but {what}", ex)
                : ErrorMapping.OutcomeUnknown(BaseAddress, contextId, $"the server accepted it, but {what}", ex);
        }
    }

    /// <summary>
    /// Sends a request through the resilience pipeline (which retries reads, and writes that never left); a failure
    /// without an answer becomes a <see cref="ContextStoreException"/>, or for a write that may have arrived a
    /// <see cref="ContextWriteOutcomeUnknownException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? contextId, RequestKind kind, CancellationToken cancellationToken)
    {
        if (request.Content?.Headers.ContentLength > RequestBodies.ExpectContinueAbove)
        {
            request.Headers.ExpectContinue = true;
        }

        try
        {
            return await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException or IOException)
        {
            if (kind == RequestKind.Read)
            {
                throw new ContextStoreException(contextId, $"The Acorn server at {BaseAddress} could not be reached: {ex.Message}", ex);
            }

            throw ResiliencePipelines.NeverSent(ex)
                ? new ContextStoreException(contextId, $"The Acorn server at {BaseAddress} could not be reached: {ex.Message} The write was not sent; nothing was changed.", ex)
                : ErrorMapping.OutcomeUnknown(BaseAddress, contextId, $"the connection failed after the request was sent ({ex.Message}).", ex);
        }
    }

    private static async Task<ContextState> ReadStateAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.Content.ReadAsync(ClientJson.Default.StateBody, cancellationToken).ConfigureAwait(false)).ToState();

    private static void IfMatch(HttpRequestMessage request, long? expectedVersion)
    {
        if (expectedVersion is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\""));
        }
    }
}
