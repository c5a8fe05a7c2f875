namespace Acorn.Contexts;

/// <summary>
/// Versioned JSON contexts: what the server, the session layer and plugins need from a context manager, whether the
/// contexts live in this process (<see cref="ContextManager"/>) or on a cluster (<c>Acorn.Orleans</c>).
/// </summary>
/// <remarks>
/// Every implementation keeps the same contract: writes to one context are linearizable and each adds exactly one to
/// its version; a write is visible, and its caller returns, only once it is durable; a failed write changes nothing
/// that a reader can see; refusals are the typed <see cref="ContextException"/>s.
/// </remarks>
public interface IContextManager
{
    /// <summary>Prepares the manager (loads or connects). Other operations call it on first use; calling it again does nothing.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the manager is ready.</returns>
    /// <exception cref="ContextStoreException">The storage could not be read; the next call tries again.</exception>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts the contexts in the whole store, including expired ones not yet removed.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The number of contexts.</returns>
    ValueTask<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns a context, or <see langword="null"/> when it does not exist or has expired.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The current state, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    ValueTask<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Returns a context.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The current state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist or has expired.</exception>
    ValueTask<ContextState> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists contexts ordered by id (ordinal), one page at a time.</summary>
    /// <remarks>
    /// Paging with <see cref="ContextPage.Next"/> shows every context that exists for the whole walk exactly once, in
    /// order, while others are created and deleted.
    /// </remarks>
    /// <param name="limit">The page size, 1 to 1,000.</param>
    /// <param name="after">Return only ids after this one (the previous page's <see cref="ContextPage.Next"/>).</param>
    /// <param name="prefix">Return only ids that start with it (ordinal, as in <c>tenant:</c>); <see langword="null"/> or empty: all.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to 1,000.</exception>
    /// <exception cref="ArgumentException">No context id can start with <paramref name="prefix"/>.</exception>
    ValueTask<ContextPage> ListAsync(int limit = 100, string? after = null, string? prefix = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a context.</summary>
    /// <remarks>
    /// Its first version is above every version its id ever had, so that a version or ETag kept from a deleted context
    /// never matches the context created again under the same id: 1 for a fresh id in a fresh store, higher otherwise.
    /// </remarks>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its data, metadata and time to live.</param>
    /// <param name="cancellationToken">Cancels the create until the storage has accepted it.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextAlreadyExistsException">A context with that id exists.</exception>
    /// <exception cref="ContextLimitExceededException"><see cref="ContextOptions.MaxContexts"/> contexts exist.</exception>
    /// <exception cref="ContextStoreException">The storage failed.</exception>
    ValueTask<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default);

    /// <summary>Replaces a context's content, optionally only if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="content">The new data, metadata and (optionally) time to live.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> replaces whatever is there.</param>
    /// <param name="cancellationToken">Cancels the update until the storage has accepted it.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The storage failed.</exception>
    ValueTask<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads, changes and writes a context; a concurrent update is never lost.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="update">
    /// Computes the new content from the current state. It must be synchronous, quick and free of side effects, and
    /// must not write to the same context. It may run more than once: <see cref="ContextManager"/> runs it in the
    /// context's turn, once per update unless a write planned before it failed; on a cluster, where a delegate cannot
    /// travel to the context's grain, it runs on the caller's side and runs again when another writer got in first. For
    /// a hot context, prefer <see cref="PatchAsync"/>: a patch is data, applied where the write is decided.
    /// </param>
    /// <param name="cancellationToken">Withdraws the update while it waits; a write the storage accepted runs to its outcome.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The computed content breaks a limit.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The storage failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The storage failed.</exception>
    /// <exception cref="InvalidOperationException">Called by an update function of the same context.</exception>
    ValueTask<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a JSON Merge Patch or JSON Patch to a context's data atomically, optionally only if it is still at
    /// <paramref name="expectedVersion"/>; its metadata and expiry stay as they are.
    /// </summary>
    /// <param name="id">The context id.</param>
    /// <param name="patch">The patch, applied to the data as it is when the write takes its turn.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> patches whatever is there.</param>
    /// <param name="cancellationToken">Cancels the patch until the storage has accepted it.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <remarks>
    /// Concurrent patches of one context are applied one after the other, each to the result of the one before, so
    /// none is lost. A patch that fails changes nothing.
    /// </remarks>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextPatchFailedException">A JSON Patch operation cannot apply to the data (a failed <c>test</c>, a missing path); it names the operation and its path.</exception>
    /// <exception cref="InvalidContextDataException">The patched data would break a limit or not be a JSON object.</exception>
    /// <exception cref="ContextStoreException">The storage failed.</exception>
    ValueTask<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Cancels the delete until the storage has accepted it.</param>
    /// <returns>The deleted state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The storage failed.</exception>
    ValueTask<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to changes of one context, or of all contexts.</summary>
    /// <param name="contextId">The context to watch; <see langword="null"/> watches all.</param>
    /// <returns>The subscription: read it, and dispose it when done.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="contextId"/> is not a valid id.</exception>
    ContextChangeSubscription Subscribe(string? contextId = null);

    /// <summary>Persists a recovery point of the context's current state; the oldest beyond the bound are pruned.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels until the storage has accepted the write.</param>
    /// <returns>The recovery point.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The storage failed; no recovery point was added.</exception>
    ValueTask<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the context's recovery points, newest first.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovery points, newest first.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The storage could not be read.</exception>
    Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Restores a context to a recovery point: a write, so the version becomes current + 1.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="recoveryPointId">The recovery point to restore.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> restores over whatever is there.</param>
    /// <param name="cancellationToken">Cancels until the storage has accepted the write.</param>
    /// <returns>The restored state, one version higher than the state it replaced.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="RecoveryPointNotFoundException">The context has no such recovery point.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The storage failed; nothing was changed.</exception>
    ValueTask<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every expired context through the normal write path, publishing an <see cref="ContextChangeKind.Expired"/>
    /// change for each.
    /// </summary>
    /// <param name="cancellationToken">Stops the sweep between contexts.</param>
    /// <returns>How many contexts this sweep removed.</returns>
    /// <exception cref="ContextStoreException">The storage failed; contexts removed before the failure stay removed.</exception>
    ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default);
}
