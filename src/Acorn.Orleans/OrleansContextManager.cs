using System.Diagnostics.CodeAnalysis;
using Acorn.Contexts;
using Orleans.Streams;

namespace Acorn.Orleans;

/// <summary>
/// <see cref="IContextManager"/> on an Orleans cluster: every context is a grain, so any number of servers share the
/// same contexts with the same guarantees as the single-node <see cref="ContextManager"/>.
/// </summary>
/// <remarks>
/// <para>
/// Writes go to the context's grain, which queues them, persists each batch with one storage write and answers once
/// storage has them (see <see cref="IContextGrain"/>); patches are applied there too. Read-modify-writes with a
/// function take turns here per context and reach the grain as compare-and-set runs (see
/// <see cref="ContextGrainClient"/>). Reads ask the grain, so they cost a grain call, unlike
/// <see cref="ContextManager"/>'s in-memory reads; while a dead silo's grains move, they are retried
/// (<see cref="ClusterRetryOptions"/>). Listing, counting, the context limit and the expiry sweep use the scope's
/// directory grain (<see cref="IContextDirectoryGrain"/>), which creates and deletes pass through; updates do not.
/// </para>
/// <para>
/// <see cref="Subscribe"/> delivers the changes this manager made, in each context's order, before the write returns.
/// Given the cluster's stream provider (<see cref="AcornOrleans.StreamProviderName"/>), it also delivers every other
/// manager's changes once <see cref="InitializeAsync"/> has subscribed to the scope's change stream: the cluster-wide
/// feed is best effort (a change lost on the stream shows as a gap in a context's versions).
/// </para>
/// </remarks>
public sealed class OrleansContextManager : IContextManager, IAsyncDisposable
{
    private readonly ContextGrainClient _client;
    private readonly ContextChangeFeed _feed;
    private readonly OrderedChangePublisher _publisher;
    private readonly TimeProvider _time;
    private readonly IStreamProvider? _changeStreams;
    private readonly string _scope;
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private StreamSubscriptionHandle<ContextChangeEvent>? _subscription;

    /// <summary>Creates a manager of one scope's contexts on a cluster.</summary>
    /// <param name="grains">The cluster client, or a co-hosted silo's grain factory.</param>
    /// <param name="options">The limits; give every manager of a scope the same. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock for expiry; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="scope">Keeps these contexts apart from other scopes' on the same cluster; empty for the default scope.</param>
    /// <param name="changeStreams">
    /// The cluster's stream provider named <see cref="AcornOrleans.StreamProviderName"/>, for other managers' changes;
    /// <see langword="null"/> delivers only this manager's.
    /// </param>
    /// <param name="retry">How long calls are retried while a dead silo's grains move; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public OrleansContextManager(
        IGrainFactory grains,
        ContextOptions? options = null,
        TimeProvider? timeProvider = null,
        string scope = "",
        IStreamProvider? changeStreams = null,
        ClusterRetryOptions? retry = null)
    {
        var own = options?.Clone() ?? new ContextOptions();
        ContextOptionsValidator.ThrowIfInvalid(own);
        _time = timeProvider ?? TimeProvider.System;
        _feed = new ContextChangeFeed(own.ChangeFeedCapacity);
        _publisher = new OrderedChangePublisher(_feed, _time);
        _client = new ContextGrainClient(grains, own, scope, retry);
        _changeStreams = changeStreams;
        _scope = scope;
    }

    /// <inheritdoc/>
    /// <remarks>Subscribes to the scope's change stream, when there is one.</remarks>
    [SuppressMessage("Concurrency", "ACRN003", Justification = "Held across the one subscribe call so that concurrent first calls subscribe once.")]
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_changeStreams is null || _subscription is not null)
        {
            return;
        }

        await _subscribing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _subscription ??= await _client.ReadAsync(
                "changes",
                () => ChangeStream(_changeStreams).SubscribeAsync((change, _) =>
                {
                    _publisher.OfferFromCluster(change);
                    return Task.CompletedTask;
                }),
                cancellationToken).ConfigureAwait(false);
            _publisher.UseClusterStream();
        }
        finally
        {
            _subscribing.Release();
        }
    }

    // Asked for only here: a client's stream provider works once the client has connected, after construction.
    private IAsyncStream<ContextChangeEvent> ChangeStream(IStreamProvider streams) =>
        streams.GetStream<ContextChangeEvent>(StreamId.Create(AcornOrleans.ChangeStreamNamespace, AcornOrleans.DirectoryKey(_scope)));

    /// <summary>Leaves the cluster's change stream.</summary>
    /// <returns>A task that completes when unsubscribed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            try
            {
                await subscription.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The client is shutting down or the cluster is gone: the subscription ends with it.
            }
        }

        _subscribing.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default) =>
        await _client.ReadAsync("directory", () => _client.Directory.CountAsync(), cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        await _client.FindAsync(id, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<ContextState> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await _client.GetAsync(id, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// One directory call per page plus one grain call per listed context, made concurrently. A prefix starts the
    /// directory's walk just before the first id it can match and stops it at the first id past them.
    /// </remarks>
    public async ValueTask<ContextPage> ListAsync(
        int limit = 100, string? after = null, string? prefix = null, CancellationToken cancellationToken = default)
    {
        ContextPage.Validate(limit, prefix);
        prefix = string.IsNullOrEmpty(prefix) ? null : prefix;
        var items = new List<ContextState>(limit + 1);
        var cursor = prefix is not null && (after is null || string.CompareOrdinal(after, prefix) < 0) ? JustBefore(prefix) : after;
        var past = false;
        while (items.Count <= limit && !past)
        {
            var wanted = limit + 1 - items.Count;
            var ids = await _client.ReadAsync("directory", () => _client.Directory.PageAsync(cursor, wanted), cancellationToken);
            var matching = prefix is null ? ids : [.. ids.TakeWhile(id => id.StartsWith(prefix, StringComparison.Ordinal))];
            past = matching.Count < ids.Count;
            var states = await Task.WhenAll(matching.Select(id => FindListedAsync(id, cancellationToken)));
            items.AddRange(states.OfType<ContextState>());
            if (ids.Count < wanted)
            {
                break;
            }

            cursor = ids[^1];
        }

        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Id;
        }

        return new ContextPage(items, next);
    }

    /// <summary>
    /// A cursor that sorts after every id below <paramref name="prefix"/> and before the prefix itself: its last character
    /// one lower, then '~', above every character an id may have.
    /// </summary>
    private static string JustBefore(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), [(char)(prefix[^1] - 1), '~']);

    /// <inheritdoc/>
    public ValueTask<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.CreateAsync(id, content, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.UpdateAsync(id, content, expectedVersion, cancellationToken));

    /// <inheritdoc/>
    /// <remarks>
    /// A delegate cannot cross a grain boundary: the function runs here, in this manager's turn for the context, on the
    /// version the update before it writes, and the turn's updates reach the grain as one compare-and-set run. Only
    /// another process's write makes the function run again; for a context many processes update, send a patch.
    /// </remarks>
    public ValueTask<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.UpdateAsync(id, update, cancellationToken));

    /// <inheritdoc/>
    /// <remarks>
    /// The patch travels to the context's grain as its kind and JSON text, with this manager's content limits, and is
    /// applied there in the grain's turn on the newest version: concurrent patches queue and share storage writes, none
    /// is retried.
    /// </remarks>
    public ValueTask<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.PatchAsync(id, patch, expectedVersion, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.DeleteAsync(id, expectedVersion, cancellationToken));

    /// <inheritdoc/>
    public ContextChangeSubscription Subscribe(string? contextId = null)
    {
        if (contextId is not null)
        {
            ContextId.Validate(contextId);
        }

        return _feed.Subscribe(contextId);
    }

    /// <inheritdoc/>
    public async ValueTask<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default) =>
        await _client.CreateRecoveryPointAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default) =>
        _client.ListRecoveryPointsAsync(id, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(id, client => client.RestoreAsync(id, recoveryPointId, expectedVersion, cancellationToken));

    /// <inheritdoc/>
    /// <remarks>Asks the directory which contexts are due and has each context's grain delete itself if it still is.</remarks>
    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        var due = await _client.ReadAsync("directory", () => _client.Directory.ExpiredAsync(_time.GetUtcNow()), cancellationToken);
        var removed = 0;
        foreach (var id in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var expired = await WriteAsync(id, client => client.ExpireAsync(id, cancellationToken));
            removed += expired ? 1 : 0;
        }

        return removed;
    }

    private async Task<ContextState?> FindListedAsync(string id, CancellationToken cancellationToken)
    {
        var state = await _client.FindAsync(id, cancellationToken);
        if (state is null)
        {
            // Listed without a live context: expired (the sweep removes it) or left by a failed create.
            await _client.ReadAsync(id, async g => { await g.ForgetIfAbsentAsync(); return true; }, cancellationToken);
        }

        return state;
    }

    private async ValueTask<T> WriteAsync<T>(string id, Func<ContextGrainClient, Task<T>> write)
    {
        ContextId.Validate(id);
        var ticket = _publisher.Begin(id);
        try
        {
            return await write(_client.Reporting((kind, result, state) => _publisher.Offer(ticket, kind, result, state)));
        }
        finally
        {
            _publisher.End(ticket);
        }
    }
}
