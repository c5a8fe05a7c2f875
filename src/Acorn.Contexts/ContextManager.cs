using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Acorn.Contexts.Internal;
using Acorn.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acorn.Contexts;

/// <summary>Keeps versioned JSON contexts in memory, durable in an <see cref="IContextStore"/>, safe under contention.</summary>
/// <remarks>
/// <para>
/// <b>Reads are lock-free</b>: every context is an immutable <see cref="ContextState"/> in a concurrent map.
/// <b>Writes to one context are linearizable</b>: each is planned under the context's own async lock (version checks,
/// limits) and handed to the store in version order; it becomes visible, and its caller returns, only once it is
/// durable, so a failed write is never seen. Writes to one context are pipelined: the next one is planned while the
/// last is still committing, so they share the store's group commits. Writes to different contexts never wait for
/// each other.
/// </para>
/// <para>
/// No user code runs under a lock: <see cref="UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// calls its function on a snapshot, outside any lock, and retries on a concurrent change (optimistic concurrency).
/// </para>
/// <para>
/// Expired contexts are invisible to reads at once; they are deleted (and an <see cref="ContextChangeKind.Expired"/>
/// change published) by the sweeper, <see cref="RemoveExpiredAsync"/>, or by the next write that touches them.
/// </para>
/// </remarks>
[DebuggerDisplay("Count = {Count}")]
public sealed partial class ContextManager : IContextManager
{
    private readonly ConcurrentDictionary<string, ContextState> _contexts = new(StringComparer.Ordinal);
    private readonly KeyedAsyncLock<string> _locks = new(StringComparer.Ordinal);
    private readonly IContextStore _store;
    private readonly ContextOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContextChangeFeed _feed;
    private readonly Lock _loadGate = new();
    private Task? _loading;
    private volatile bool _loaded;

    // How many times a read-modify-write tries a busy context's lock without queueing for it.
    private const int OptimisticAttempts = 8;

    // Contexts committed plus creates in flight: reserving a slot before committing keeps the cap exact under races.
    private int _reservedCount;
    private long _changeSequence;
    private long _lastRecoveryPointId;

    /// <summary>Creates a manager over a store.</summary>
    /// <param name="store">Where contexts are persisted.</param>
    /// <param name="options">Limits and defaults; <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger; <see langword="null"/> logs nothing.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public ContextManager(
        IContextStore store,
        ContextOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<ContextManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        // A private copy: changing the caller's options object later must not change a running manager's limits.
        _options = options?.Clone() ?? new ContextOptions();
        ContextOptionsValidator.ThrowIfInvalid(_options);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _feed = new ContextChangeFeed(_options.ChangeFeedCapacity);
    }

    /// <summary>The number of live contexts (including expired ones not yet removed).</summary>
    public int Count => _contexts.Count;

    /// <inheritdoc/>
    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return _contexts.Count;
    }

    /// <summary>The options this manager runs with (its own copy).</summary>
    internal ContextOptions Options => _options;

    /// <summary>Loads every context from the store. Other operations call it on first use; calling it again does nothing.</summary>
    /// <param name="cancellationToken">Stops waiting for the load (the load itself completes for the next caller).</param>
    /// <exception cref="ContextStoreException">The store could not be read; the next call tries again.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _loaded ? Task.CompletedTask : LoadOnceAsync(cancellationToken);

    /// <summary>Returns a context, or <see langword="null"/> when it does not exist or has expired. Lock-free.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels waiting for the initial load.</param>
    /// <returns>The current state, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    public ValueTask<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);

        // Once loaded, a read completes synchronously: no state machine on the hottest path.
        return _loaded ? new ValueTask<ContextState?>(FindLoaded(id)) : FindAfterLoadAsync(id, cancellationToken);
    }

    /// <summary>Returns a context. Lock-free.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels waiting for the initial load.</param>
    /// <returns>The current state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist or has expired.</exception>
    public ValueTask<ContextState> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        if (!_loaded)
        {
            return GetAfterLoadAsync(id, cancellationToken);
        }

        return FindLoaded(id) is { } state
            ? new ValueTask<ContextState>(state)
            : ValueTask.FromException<ContextState>(new ContextNotFoundException(id));
    }

    /// <summary>Lists contexts ordered by id (ordinal), one page at a time.</summary>
    /// <param name="limit">The page size, 1 to 1,000.</param>
    /// <param name="after">Return only ids after this one (the previous page's <see cref="ContextPage.Next"/>).</param>
    /// <param name="cancellationToken">Cancels waiting for the initial load.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to 1,000.</exception>
    public async ValueTask<ContextPage> ListAsync(int limit = 100, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var page = _contexts.Values
            .Where(s => (after is null || string.CompareOrdinal(s.Id, after) > 0) && !s.IsExpiredAt(now))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = page[^1].Id;
        }

        return new ContextPage(page, next);
    }

    /// <summary>Creates a context at version 1.</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its data, metadata and time to live.</param>
    /// <param name="cancellationToken">Cancels the create until the store has accepted it.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextAlreadyExistsException">A context with that id exists.</exception>
    /// <exception cref="ContextLimitExceededException"><see cref="ContextOptions.MaxContexts"/> contexts exist.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was created.</exception>
    public ValueTask<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default) =>
        ObserveAsync("create", Stopwatch.GetTimestamp(), CreateCoreAsync(id, content, cancellationToken));

    /// <summary>Replaces a context's content, optionally only if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="content">The new data, metadata and (optionally) time to live.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> replaces whatever is there.</param>
    /// <param name="cancellationToken">Cancels the update until the store has accepted it.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    public ValueTask<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("update", Stopwatch.GetTimestamp(), UpdateCoreAsync(id, content, expectedVersion, cancellationToken));

    /// <summary>Atomically reads, changes and writes a context; a concurrent update is never lost.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="update">
    /// Computes the new content from the current state. It runs outside every lock and may run more than once (when
    /// another writer got in first it is called again with the newer state), so it must not have side effects.
    /// </param>
    /// <param name="cancellationToken">Stops retrying, and cancels a write until the store has accepted it.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The computed content breaks a limit.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    public ValueTask<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default) =>
        ObserveAsync("update", Stopwatch.GetTimestamp(), ReadModifyWriteAsync(id, update, cancellationToken));

    /// <summary>Deletes a context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Cancels the delete until the store has accepted it.</param>
    /// <returns>The deleted state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was deleted.</exception>
    public ValueTask<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("delete", Stopwatch.GetTimestamp(), DeleteCoreAsync(id, expectedVersion, cancellationToken));

    /// <summary>Subscribes to changes of one context, or of all contexts.</summary>
    /// <param name="contextId">The context to watch; <see langword="null"/> watches all.</param>
    /// <returns>The subscription: read it, and dispose it when done.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="contextId"/> is not a valid id.</exception>
    public ContextChangeSubscription Subscribe(string? contextId = null)
    {
        if (contextId is not null)
        {
            ContextId.Validate(contextId);
        }

        return _feed.Subscribe(contextId);
    }

    private async ValueTask<ContextState> CreateCoreAsync(string id, ContextContent content, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        var (data, metadata) = ContextContentValidator.Validate(id, content, _options);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await PipelineWriteAsync(id, (data, metadata, content.TimeToLive), PlanCreate, cancellationToken).ConfigureAwait(false);
    }

    private WritePlan<ContextState> PlanCreate(
        ContextState? head,
        (System.Text.Json.JsonElement Data, IReadOnlyDictionary<string, string> Metadata, TimeSpan? TimeToLive) args,
        string id)
    {
        if (head is not null)
        {
            throw new ContextAlreadyExistsException(id);
        }

        // A slot is reserved when the create is planned and released if it fails: the cap holds under racing creates.
        if (Interlocked.Increment(ref _reservedCount) > _options.MaxContexts)
        {
            Interlocked.Decrement(ref _reservedCount);
            throw new ContextLimitExceededException(id, _options.MaxContexts, "contexts");
        }

        var now = _time.GetUtcNow();
        var state = new ContextState(id, 1, now, now, ExpiryAfter(now, args.TimeToLive ?? _options.DefaultTimeToLive), args.Data, args.Metadata);
        return new WritePlan<ContextState>(state, new PutContextWrite(state), state, ContextChangeKind.Created, ReservesSlot: true);
    }

    private async ValueTask<ContextState> UpdateCoreAsync(string id, ContextContent content, long? expectedVersion, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        var (data, metadata) = ContextContentValidator.Validate(id, content, _options);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var replacement = new Replacement(data, metadata, content.TimeToLive, expectedVersion, Basis: null, ReadModifyWrite: false);
        var state = await PipelineWriteAsync(id, replacement, PlanReplace, cancellationToken).ConfigureAwait(false);
        return state!;
    }

    private async ValueTask<ContextState> ReadModifyWriteAsync(string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ContextId.Validate(id);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The head, not the committed state: planning on the write in flight chains this one behind it.
            var snapshot = HeadOf(id);
            var replacement = Replacement.ConfirmMissing;
            if (snapshot is not null)
            {
                var content = update(snapshot);
                var (data, metadata) = ContextContentValidator.Validate(id, content, _options);
                replacement = new Replacement(data, metadata, content.TimeToLive, ExpectedVersion: null, snapshot, ReadModifyWrite: true);
            }

            // The first attempts do not queue for a busy lock: a queued plan is stale by the time its turn comes (the
            // holder is writing a new version), and stale plans going round the lock's queue again and again are a
            // convoy. They yield instead, so the holder finishes, and plan again on the newer state.
            var waitForLock = attempt > OptimisticAttempts;
            if (await PipelineWriteAsync(id, replacement, PlanReplace, cancellationToken, waitForLock).ConfigureAwait(false) is { } written)
            {
                return written;
            }

            if (!waitForLock)
            {
                await Task.Yield();
            }
        }
    }

    private WritePlan<ContextState?> PlanReplace(ContextState? head, Replacement replacement, string id)
    {
        if (head is null)
        {
            throw new ContextNotFoundException(id);
        }

        if (replacement.ExpectedVersion is { } expected && expected != head.Version)
        {
            throw new ContextVersionConflictException(id, expected, head.Version);
        }

        // The same object, not the same version: after a write in flight fails, its version number is written again
        // with other content, and a function that saw the failed content must run again.
        if (replacement.ReadModifyWrite && !ReferenceEquals(replacement.Basis, head))
        {
            // The read-modify-write loop retries; an exception per lost race would dominate its cost.
            return default;
        }

        var now = _time.GetUtcNow();
        var expiresAt = replacement.TimeToLive is { } ttl ? ExpiryAfter(now, ttl) : head.ExpiresAt;
        var state = new ContextState(id, head.Version + 1, head.CreatedAt, now, expiresAt, replacement.Data, replacement.Metadata);
        return new WritePlan<ContextState?>(state, new PutContextWrite(state), state, ContextChangeKind.Updated, ReservesSlot: false);
    }

    private async ValueTask<ContextState> DeleteCoreAsync(string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await PipelineWriteAsync(id, expectedVersion, PlanDelete, cancellationToken).ConfigureAwait(false);
    }

    private static WritePlan<ContextState> PlanDelete(ContextState? head, long? expectedVersion, string id)
    {
        if (head is null)
        {
            throw new ContextNotFoundException(id);
        }

        if (expectedVersion is { } expected && expected != head.Version)
        {
            throw new ContextVersionConflictException(id, expected, head.Version);
        }

        return new WritePlan<ContextState>(head, new DeleteContextWrite(id, head.Version), null, ContextChangeKind.Deleted, ReservesSlot: false);
    }

    /// <summary>
    /// Runs <paramref name="body"/> while holding the context's lock, with the context's committed live state and no
    /// write in flight: for the rare operations (recovery points, restore, expiry) that commit without pipelining.
    /// </summary>
    [SuppressMessage(
        "Concurrency",
        "ACRN003",
        Justification = "The per-context lock must span the store commit: it is what orders one context's writes in the store (DESIGN invariant 4).")]
    private async ValueTask<TResult> WithContextLockAsync<TArg, TResult>(
        string id,
        TArg arg,
        Func<ContextState?, TArg, string, CancellationToken, ValueTask<TResult>> body,
        CancellationToken cancellationToken,
        bool removeIfExpired = true)
    {
        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
        {
            if (_pipelines.TryGetValue(id, out var pipeline))
            {
                await DrainLockedAsync(pipeline, cancellationToken).ConfigureAwait(false);
            }

            var current = CommittedOf(id);
            if (removeIfExpired && current is not null && await ExpireIfDueLockedAsync(current, cancellationToken).ConfigureAwait(false))
            {
                current = null;
            }

            return await body(current, arg, id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Under the context's lock: removes it through the store if it has expired, and says whether it did.</summary>
    private async ValueTask<bool> ExpireIfDueLockedAsync(ContextState current, CancellationToken cancellationToken)
    {
        if (!current.IsExpiredAt(_time.GetUtcNow()))
        {
            return false;
        }

        await RemoveLockedAsync(current, ContextChangeKind.Expired, cancellationToken).ConfigureAwait(false);
        ContextMetrics.Expired.Add(1);
        return true;
    }

    private ValueTask RemoveLockedAsync(ContextState current, ContextChangeKind kind, CancellationToken cancellationToken) =>
        CommitAsync(new DeleteContextWrite(current.Id, current.Version), null, kind, cancellationToken);

    /// <summary>Writes to the store, then (only after it acknowledged) makes the change visible and publishes it.</summary>
    private async ValueTask CommitAsync(ContextWrite write, ContextState? newState, ContextChangeKind kind, CancellationToken cancellationToken)
    {
        await StoreAsync(write, cancellationToken).ConfigureAwait(false);
        PublishCommitted(write, newState, kind);
    }

    /// <summary>
    /// Makes a durable write visible and publishes it. Called for one context in version order: under its lock, or under
    /// its pipeline's gate, so its changes reach subscribers in version order; publishing never waits (each subscriber
    /// has a bounded, drop-oldest buffer).
    /// </summary>
    private void PublishCommitted(ContextWrite write, ContextState? newState, ContextChangeKind kind)
    {
        long version;
        if (newState is null)
        {
            _contexts.TryRemove(write.ContextId, out _);
            Interlocked.Decrement(ref _reservedCount);
            ContextMetrics.ContextCount.Add(-1);
            version = write.ExpectedVersion;
        }
        else
        {
            if (newState.Version == 1)
            {
                ContextMetrics.ContextCount.Add(1);
            }

            _contexts[write.ContextId] = newState;
            version = newState.Version;
        }

        var change = new ContextChange(Interlocked.Increment(ref _changeSequence), kind, write.ContextId, version, newState, _time.GetUtcNow());
        _feed.Publish(change);
    }

    private async ValueTask StoreAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await _store.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw StoreFailure(write, ex);
        }
    }

    /// <summary>
    /// The exception a caller sees for a failed store write: the store's own context errors and cancellation as they are,
    /// anything else wrapped in <see cref="ContextStoreException"/>; store failures are logged.
    /// </summary>
    private Exception StoreFailure(ContextWrite write, Exception failure)
    {
        switch (failure)
        {
            case ContextStoreException:
                Log.StoreWriteFailed(_logger, write.ContextId, failure);
                return Rethrown(failure);
            case ContextException or OperationCanceledException:
                return Rethrown(failure);
            default:
                Log.StoreWriteFailed(_logger, write.ContextId, failure);
                return new ContextStoreException(write.ContextId, $"The store failed to write context '{write.ContextId}'; nothing was changed.", failure);
        }

        // Keeps the store's stack trace on an exception thrown again from here.
        static Exception Rethrown(Exception exception)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
            return exception;
        }
    }

    private ContextState? FindLoaded(string id) =>
        _contexts.TryGetValue(id, out var state) && (state.ExpiresAt is null || !state.IsExpiredAt(_time.GetUtcNow())) ? state : null;

    private async ValueTask<ContextState?> FindAfterLoadAsync(string id, CancellationToken cancellationToken)
    {
        await LoadOnceAsync(cancellationToken).ConfigureAwait(false);
        return FindLoaded(id);
    }

    private async ValueTask<ContextState> GetAfterLoadAsync(string id, CancellationToken cancellationToken) =>
        await FindAfterLoadAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(id);

    private static DateTimeOffset? ExpiryAfter(DateTimeOffset now, TimeSpan? timeToLive) =>
        timeToLive is { } ttl && ttl != Timeout.InfiniteTimeSpan ? now + ttl : null;

    private static async ValueTask<T> ObserveAsync<T>(string operation, long startedTimestamp, ValueTask<T> pending)
    {
        try
        {
            var result = await pending.ConfigureAwait(false);
            ContextMetrics.RecordOperation(operation, "ok", startedTimestamp);
            return result;
        }
        catch (Exception ex)
        {
            ContextMetrics.RecordOperation(operation, ContextMetrics.OutcomeOf(ex), startedTimestamp);
            throw;
        }
    }

    private ValueTask EnsureLoadedAsync(CancellationToken cancellationToken) =>
        _loaded ? ValueTask.CompletedTask : new ValueTask(LoadOnceAsync(cancellationToken));

    private Task LoadOnceAsync(CancellationToken cancellationToken)
    {
        Task loading;
        lock (_loadGate)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                // Task.Run: the store's code must not start running inside this lock.
                _loading = Task.Run(LoadCoreAsync, CancellationToken.None);
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task LoadCoreAsync()
    {
        ContextStoreSnapshot snapshot;
        try
        {
            snapshot = await _store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException)
        {
            throw new ContextStoreException(null, "The store could not be read.", ex);
        }

        foreach (var state in snapshot.Contexts)
        {
            _contexts[state.Id] = state;
        }

        Interlocked.Exchange(ref _reservedCount, _contexts.Count);
        Interlocked.Exchange(ref _lastRecoveryPointId, snapshot.LastRecoveryPointId);
        ContextMetrics.ContextCount.Add(_contexts.Count);
        if (_contexts.Count > _options.MaxContexts)
        {
            Log.OverCapacityOnLoad(_logger, _contexts.Count, _options.MaxContexts);
        }

        Log.Loaded(_logger, _contexts.Count);
        _loaded = true;
    }

    private readonly record struct Replacement(
        System.Text.Json.JsonElement Data,
        IReadOnlyDictionary<string, string> Metadata,
        TimeSpan? TimeToLive,
        long? ExpectedVersion,
        ContextState? Basis,
        bool ReadModifyWrite)
    {
        /// <summary>
        /// A read-modify-write that found no context: not found if there is still none once writes in flight settle, a
        /// retry if one appeared.
        /// </summary>
        public static Replacement ConfirmMissing { get; } =
            new(default, new Dictionary<string, string>(), null, ExpectedVersion: null, Basis: null, ReadModifyWrite: true);
    }
}
