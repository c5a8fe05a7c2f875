using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Acorn.Contexts.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acorn.Contexts;

/// <summary>Keeps versioned JSON contexts in memory, durable in an <see cref="IContextStore"/>, safe under contention.</summary>
/// <remarks>
/// <para>
/// <b>Reads are lock-free</b>: every context is an immutable <see cref="ContextState"/> in a concurrent map.
/// <b>Writes to one context are linearizable</b>: they queue for the context's <i>turn</i>, whose holder plans a whole
/// run of them at once, each on the state the writes before it leave (version checks, limits, update functions), and
/// hands them to the store in version order, where they share group commits. A write becomes visible, and its caller
/// returns, only once it is durable, so a failed write is never seen. Writes to different contexts never wait for each
/// other.
/// </para>
/// <para>
/// <b>Update functions run in the turn.</b> <see cref="UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// calls its function once per update (again only if a write it was planned behind failed), on the newest state, so a
/// hot context never collapses into retries. The function must be synchronous and quick and must not write to the same
/// context (that fails fast with <see cref="InvalidOperationException"/>); one that throws fails only its own caller.
/// </para>
/// <para>
/// Versions never repeat for an id: a context created after a delete starts above every version a delete ever removed
/// (the store persists that mark), so a version or ETag kept from a deleted context never matches its successor. In a
/// store that never deleted anything, contexts start at version 1.
/// </para>
/// <para>
/// <b>Start-up.</b> The manager loads its store in the background (<see cref="OpenAsync"/>) and serves reads and writes
/// meanwhile, reading a context it has not loaded yet from the store; a row it cannot read is quarantined, never a
/// reason not to start (<see cref="LoadStatus"/>).
/// </para>
/// <para>
/// Expired contexts are invisible to reads at once; they are deleted (and an <see cref="ContextChangeKind.Expired"/>
/// change published) by the sweeper, <see cref="RemoveExpiredAsync"/>, or by the next write that touches them.
/// </para>
/// </remarks>
[DebuggerDisplay("Count = {Count}")]
public sealed partial class ContextManager : IContextManager
{
    private readonly CommittedContexts _contexts = new();

    // The same ids in order (listing), and those that expire by when (sweeps): changed with _contexts, by the same writer.
    private readonly SortedIdIndex _ids = new();
    private readonly ExpiryIndex _expiries = new();
    private readonly IContextStore _store;
    private readonly ContextOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContextChangeFeed _feed;

    // How often a write is planned again when the store holds another version and no earlier failure explains it.
    private const int MaxDivergences = 3;

    // Contexts committed plus creates in flight: reserving a slot before committing keeps the cap exact under races.
    private int _reservedCount;

    // Contexts committed (loaded or not yet), without the quarantined ones.
    private int _liveCount;
    private long _lastRecoveryPointId;

    // At least every version a delete or expiry ever removed, committed or not: a create starts above it, so a context
    // created again never repeats a version of its deleted predecessor.
    private long _highestDeletedVersion;

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

    /// <summary>The number of live contexts (including expired ones not yet removed), loaded or not yet.</summary>
    public int Count => Volatile.Read(ref _liveCount);

    /// <inheritdoc/>
    /// <remarks>Counts every context in the store, loaded or not yet: it waits only for the store's summary, never for the load.</remarks>
    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        return Volatile.Read(ref _liveCount);
    }

    /// <summary>The options this manager runs with (its own copy).</summary>
    internal ContextOptions Options => _options;

    /// <summary>Loads every context from the store and returns once all are in memory; calling it again does nothing.</summary>
    /// <remarks>
    /// Nothing needs to wait for it: every operation starts the load on first use and works while it runs (see
    /// <see cref="OpenAsync"/>). Unreadable rows do not fail it: they are quarantined (<see cref="LoadStatus"/>).
    /// </remarks>
    /// <param name="cancellationToken">Stops waiting for the load (the load itself goes on for the next caller).</param>
    /// <returns>A task that completes when every context is loaded.</returns>
    /// <exception cref="ContextStoreException">The store could not be read; the next call goes on from where the load stopped.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _loaded ? Task.CompletedTask : LoadAllAsync(cancellationToken);

    /// <summary>Returns a context, or <see langword="null"/> when it does not exist or has expired. Lock-free.</summary>
    /// <remarks>While the store is still loading, a context not loaded yet is read from the store (once).</remarks>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels waiting for the store, while it loads.</param>
    /// <returns>The current state, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextStoreException">The context's stored row is quarantined, or could not be read while loading.</exception>
    public ValueTask<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);

        // Once loaded, a read completes synchronously: no state machine on the hottest path.
        return _loaded ? new ValueTask<ContextState?>(FindLoaded(id)) : FindWhileLoadingAsync(id, cancellationToken);
    }

    /// <summary>Returns a context. Lock-free.</summary>
    /// <remarks>While the store is still loading, a context not loaded yet is read from the store (once).</remarks>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels waiting for the store, while it loads.</param>
    /// <returns>The current state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist or has expired.</exception>
    /// <exception cref="ContextStoreException">The context's stored row is quarantined, or could not be read while loading.</exception>
    public ValueTask<ContextState> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        if (!_loaded)
        {
            return GetWhileLoadingAsync(id, cancellationToken);
        }

        return FindLoaded(id) is { } state
            ? new ValueTask<ContextState>(state)
            : ValueTask.FromException<ContextState>(new ContextNotFoundException(id));
    }

    /// <summary>Lists contexts ordered by id (ordinal), one page at a time.</summary>
    /// <remarks>
    /// A page costs O(log n) plus its own size, whatever the number of contexts: the ids are kept in order. Paging with
    /// <see cref="ContextPage.Next"/> shows every context that exists for the whole walk exactly once, in order, while
    /// others are created and deleted. The first list waits for the initial load.
    /// </remarks>
    /// <param name="limit">The page size, 1 to 1,000.</param>
    /// <param name="after">Return only ids after this one (the previous page's <see cref="ContextPage.Next"/>).</param>
    /// <param name="prefix">Return only ids that start with it (ordinal); <see langword="null"/> or empty: all.</param>
    /// <param name="cancellationToken">Cancels waiting for the initial load.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to 1,000.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> has a character no id can have, or is longer than an id.</exception>
    public async ValueTask<ContextPage> ListAsync(
        int limit = 100, string? after = null, string? prefix = null, CancellationToken cancellationToken = default)
    {
        ContextPage.Validate(limit, prefix);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<ContextState>(Math.Min(limit + 1, 64));
        foreach (var id in _ids.After(after, prefix))
        {
            if (FindLoaded(id) is { } state)
            {
                page.Add(state);
                if (page.Count > limit)
                {
                    break;
                }
            }
        }

        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = page[^1].Id;
        }

        return new ContextPage(page, next);
    }

    /// <summary>Creates a context, at a version above every version its id ever had (1 until the store deletes anything).</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its data, metadata and time to live.</param>
    /// <param name="cancellationToken">Cancels the create until the store has accepted it.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextAlreadyExistsException">A context with that id exists.</exception>
    /// <exception cref="ContextLimitExceededException"><see cref="ContextOptions.MaxContexts"/> contexts exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was created.</exception>
    public ValueTask<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default) =>
        ObserveAsync("create", ContextMetrics.Start(), CreateCoreAsync(id, content, cancellationToken));

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
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">Called by an update function of the same context.</exception>
    public ValueTask<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("update", ContextMetrics.Start(), UpdateCoreAsync(id, content, expectedVersion, cancellationToken));

    /// <summary>Atomically reads, changes and writes a context; a concurrent update is never lost.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="update">
    /// Computes the new content from the current state. It runs in the context's turn, on the state every earlier write
    /// leaves, once per update: again only when a write it was planned behind failed (it then sees the state that was
    /// actually committed). It must be synchronous, quick and free of side effects; it must not write to the same
    /// context (that throws <see cref="InvalidOperationException"/> instead of waiting for its own turn). If it throws,
    /// only this call fails, with its exception. One slower than <see cref="ContextOptions.SlowUpdateFunctionThreshold"/>
    /// is logged, with the context id and the time it took.
    /// </param>
    /// <param name="cancellationToken">Withdraws the update while it waits for its turn; once planned, it runs to its outcome.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The computed content breaks a limit.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">Called by an update function of the same context.</exception>
    public ValueTask<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default) =>
        ObserveAsync("update", ContextMetrics.Start(), ReadModifyWriteAsync(id, update, cancellationToken));

    /// <summary>Deletes a context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Cancels the delete until the store has accepted it.</param>
    /// <returns>The deleted state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was deleted.</exception>
    public ValueTask<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("delete", ContextMetrics.Start(), DeleteCoreAsync(id, expectedVersion, cancellationToken));

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
        var (data, metadata, _) = ContextContentValidator.Validate(id, content, _options);
        await PrepareWriteAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await TakeTurnAsync(new CreateOperation(id, data, metadata, content.TimeToLive), cancellationToken).ConfigureAwait(false))!;
        }
        catch (ContextLimitExceededException)
        {
            // Expired contexts the sweeper has not removed yet still hold slots: they give them up now, and the create
            // gets its chance if a slot is free, whoever removed them (this scan, the sweeper, another create): each
            // removal is queued in its context's turn, so those still in flight have settled once the scan returns.
            await ExpireDueAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _reservedCount) >= _options.MaxContexts)
            {
                throw;
            }
        }

        return (await TakeTurnAsync(new CreateOperation(id, data, metadata, content.TimeToLive), cancellationToken).ConfigureAwait(false))!;
    }

    private ValueTask<ContextState> UpdateCoreAsync(string id, ContextContent content, long? expectedVersion, CancellationToken cancellationToken) =>
        QueueWriteAsync(
            (id, content, expectedVersion),
            static (manager, args) =>
            {
                ContextId.Validate(args.id);
                var (data, metadata, _) = ContextContentValidator.Validate(args.id, args.content, manager._options);
                return new ReplaceOperation(args.id, data, metadata, args.content.TimeToLive, args.expectedVersion);
            },
            cancellationToken);

    private ValueTask<ContextState> ReadModifyWriteAsync(string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken) =>
        QueueWriteAsync(
            (id, update),
            static (_, args) =>
            {
                ArgumentNullException.ThrowIfNull(args.update, nameof(update));
                ContextId.Validate(args.id);
                return new ReadModifyWriteOperation(args.id, args.update);
            },
            cancellationToken);

    private ValueTask<ContextState> DeleteCoreAsync(string id, long? expectedVersion, CancellationToken cancellationToken) =>
        QueueWriteAsync(
            (id, expectedVersion),
            static (_, args) =>
            {
                ContextId.Validate(args.id);
                return new DeleteOperation(args.id, args.expectedVersion);
            },
            cancellationToken);

    /// <summary>Makes a durable write visible and publishes it: under the context's turn gate, in version order.</summary>
    /// <remarks>Publishing never waits: each subscriber has a bounded, drop-oldest buffer.</remarks>
    /// <param name="write">The durable write.</param>
    /// <param name="before">The committed state the write replaces, or <see langword="null"/> for none.</param>
    /// <param name="newState">The state it committed, or <see langword="null"/> for a deletion.</param>
    /// <param name="kind">The change to publish.</param>
    /// <param name="reservedSlot">Whether the write's plan already took a slot of <see cref="ContextOptions.MaxContexts"/>.</param>
    /// <param name="cell">The cell of the context's turn, if it has one.</param>
    private void PublishCommitted(ContextWrite write, ContextState? before, ContextState? newState, ContextChangeKind kind, bool reservedSlot, CommittedCell? cell)
    {
        Install(write.ContextId, before, newState, reservedSlot, cell);
        if (kind == ContextChangeKind.Expired)
        {
            ContextMetrics.Expired.Add(1);
        }

        Publish(kind, write.ContextId, newState?.Version ?? write.ExpectedVersion, newState);
    }

    /// <summary>
    /// Under the context's turn gate: makes <paramref name="after"/> the committed state of <paramref name="id"/>
    /// (<see langword="null"/>: none), and moves the live count, the slots and the count metric by what memory held
    /// <paramref name="before"/> and holds after, not by what a write was planned to change: a write planned behind one
    /// whose outcome was unknown (a create that may not have happened, a delete that may have) can commit on a state
    /// memory never held. Past the cap only when the store already holds it: refusing what is stored would leave memory
    /// behind the store.
    /// </summary>
    /// <param name="id">The context.</param>
    /// <param name="before">What memory holds now.</param>
    /// <param name="after">What the store committed.</param>
    /// <param name="reservedSlot">
    /// Whether a plan already took the slot a context added here fills: counted in one step with the change, so that no
    /// racing create ever sees the slot taken twice and is refused with room left.
    /// </param>
    /// <param name="cell">The cell of the context's turn, or <see langword="null"/> outside a turn (the load).</param>
    private void Install(string id, ContextState? before, ContextState? after, bool reservedSlot = false, CommittedCell? cell = null)
    {
        if (after is not null)
        {
            Replaced(before, after, cell);
        }
        else if (before is not null)
        {
            Removed(before, cell);
        }

        var change = (after is null ? 0 : 1) - (before is null ? 0 : 1);
        var slots = change - (reservedSlot ? 1 : 0);
        if (change != 0)
        {
            ContextMetrics.ContextCount.Add(change);
            Interlocked.Add(ref _liveCount, change);
        }

        // Most writes replace a live context and move no count: two atomic adds of 0 on counters every create shares.
        if (slots != 0)
        {
            Interlocked.Add(ref _reservedCount, slots);
        }
    }

    // A state's change happened when it was written (UpdatedAt); a deletion's when it is published.
    private void Publish(ContextChangeKind kind, string id, long version, ContextState? state) =>
        _feed.Publish(kind, id, version, state, state?.UpdatedAt ?? _time.GetUtcNow());

    /// <summary>
    /// Under the context's turn gate: makes the state read back from the store the committed one, after a write whose
    /// outcome was unknown, and publishes the difference.
    /// </summary>
    private void InstallCommitted(string id, ContextState? stored, CommittedCell? cell)
    {
        var known = CommittedOf(id);
        if (ReferenceEquals(known, stored) || (known is not null && stored is not null && known.Version == stored.Version))
        {
            return;
        }

        if (stored is null)
        {
            RaiseDeletedVersion(known!.Version);
        }

        Install(id, known, stored, cell: cell);
        var kind = stored is null ? ContextChangeKind.Deleted : known is null ? ContextChangeKind.Created : ContextChangeKind.Updated;
        Publish(kind, id, stored?.Version ?? known!.Version, stored);
    }

    /// <summary>
    /// The exception a caller sees for a failed store write: refusals the store decided as they are, a failure the
    /// store vouches changed nothing as a <see cref="ContextStoreException"/>, anything else as
    /// <see cref="ContextWriteOutcomeUnknownException"/>; store failures are logged.
    /// </summary>
    private Exception WriteFailure(ContextWrite write, Exception failure)
    {
        var id = write.ContextId;
        switch (failure)
        {
            case ContextStoreException:
                Log.StoreWriteFailed(_logger, id, failure);
                return failure;
            case ContextVersionConflictException:
                Log.StoreWriteFailed(_logger, id, failure);
                return new ContextStoreException(
                    id, $"The store keeps holding another version of context '{id}' than this manager planned on (another process writing the same store?); nothing was changed.", failure);
            case ContextException:
                return failure;
            case OperationCanceledException:
                return new ContextStoreException(id, $"The store cancelled the write to context '{id}'; nothing was changed.", failure);
            default:
                Log.StoreWriteFailed(_logger, id, failure);
                return new ContextWriteOutcomeUnknownException(
                    id, $"The store failed to write context '{id}' ({failure.Message}); the write may have taken effect.", failure);
        }
    }

    /// <summary>Takes a slot of <see cref="ContextOptions.MaxContexts"/> for a create, or refuses it.</summary>
    private void ReserveSlot(string id)
    {
        if (Interlocked.Increment(ref _reservedCount) > _options.MaxContexts)
        {
            Interlocked.Decrement(ref _reservedCount);
            throw new ContextLimitExceededException(id, _options.MaxContexts, "contexts");
        }
    }

    private void ReleaseSlot() => Interlocked.Decrement(ref _reservedCount);

    private long NextCreateVersion() => Volatile.Read(ref _highestDeletedVersion) + 1;

    /// <summary>Records that <paramref name="version"/> of a context is (about to be) deleted: no create reuses it.</summary>
    private void RaiseDeletedVersion(long version)
    {
        var highest = Volatile.Read(ref _highestDeletedVersion);
        while (version > highest)
        {
            var seen = Interlocked.CompareExchange(ref _highestDeletedVersion, version, highest);
            if (seen == highest)
            {
                return;
            }

            highest = seen;
        }
    }

    /// <summary>The state one version after <paramref name="current"/>, with new content.</summary>
    private static ContextState NextState(
        ContextState current,
        DateTimeOffset now,
        byte[] data,
        IReadOnlyDictionary<string, string> metadata,
        TimeSpan? timeToLive,
        System.Text.Json.JsonDocument? parsed = null)
    {
        var expiresAt = timeToLive is null ? current.ExpiresAt : ExpiryAfter(current.Id, now, timeToLive);
        return new ContextState(current.Id, current.Version + 1, current.CreatedAt, now, expiresAt, data, metadata, parsed);
    }

    private ContextState? CommittedOf(string id) => _contexts.TryGetValue(id, out var state) ? state : null;

    private void ObserveUpdateFunction(string id, TimeSpan elapsed)
    {
        if (elapsed >= _options.SlowUpdateFunctionThreshold && _options.SlowUpdateFunctionThreshold != Timeout.InfiniteTimeSpan)
        {
            Log.SlowUpdateFunction(_logger, id, elapsed.TotalMilliseconds);
        }
    }

    private void CombinerFailed(string id, Exception exception) => Log.CombinerFailed(_logger, id, exception);

    private ContextState? FindLoaded(string id)
    {
        if (_contexts.TryGetValue(id, out var state))
        {
            return !state.HasExpiry || !state.IsExpiredAt(_time.GetUtcNow()) ? state : null;
        }

        ThrowIfQuarantined(id);
        return null;
    }

    /// <summary>Makes <paramref name="state"/> the committed state of its id, which had <paramref name="before"/>: in the map and both indexes.</summary>
    private void Replaced(ContextState? before, ContextState state, CommittedCell? cell = null)
    {
        _contexts.Set(state, cell);
        if (before is null)
        {
            _ids.Add(state.Id);
        }

        _expiries.Move(state.Id, before?.ExpiresAtTicks ?? long.MaxValue, state.ExpiresAtTicks);
    }

    /// <summary>Forgets the committed state <paramref name="before"/>: in the map and both indexes.</summary>
    private void Removed(ContextState before, CommittedCell? cell)
    {
        _ids.Remove(before.Id);
        _contexts.Remove(before.Id, cell);
        _expiries.Move(before.Id, before.ExpiresAtTicks, long.MaxValue);
    }

    /// <summary>When a context written at <paramref name="now"/> with <paramref name="timeToLive"/> expires; refuses one past the calendar.</summary>
    private static DateTimeOffset? ExpiryAfter(string id, DateTimeOffset now, TimeSpan? timeToLive)
    {
        if (timeToLive is not { } ttl || ttl == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        if (ttl > DateTimeOffset.MaxValue - now)
        {
            throw new InvalidContextDataException(id, $"a time to live of {ttl} would expire after the last date a timestamp can hold; use an infinite time to live instead");
        }

        return now + ttl;
    }

    private static ValueTask<T> ObserveAsync<T>(string operation, long startedTimestamp, ValueTask<T> pending)
    {
        if (startedTimestamp == 0)
        {
            // Nobody listened when it started: nothing to record, and no second async box for a write that waits for its turn.
            return pending;
        }

        if (pending.IsCompletedSuccessfully)
        {
            ContextMetrics.RecordOperation(operation, "ok", startedTimestamp);
            return pending;
        }

        return ObserveCompletionAsync(operation, startedTimestamp, pending);
    }

    private static async ValueTask<T> ObserveCompletionAsync<T>(string operation, long startedTimestamp, ValueTask<T> pending)
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
}
