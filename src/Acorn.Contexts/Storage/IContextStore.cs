namespace Acorn.Contexts;

/// <summary>Durable storage for contexts and their recovery points.</summary>
/// <remarks>
/// <para>
/// Writes are version-checked: <see cref="WriteAsync"/> applies a <see cref="ContextWrite"/> only if the stored version
/// equals its <see cref="ContextWrite.ExpectedVersion"/>, and throws <see cref="ContextVersionConflictException"/>
/// otherwise. A write that returned successfully is durable to the store's durability level; a write that threw
/// changed nothing.
/// </para>
/// <para>
/// <b>Failures.</b> A write that fails with <see cref="ContextStoreException"/> or
/// <see cref="ContextVersionConflictException"/> changed nothing: the store vouches for it. When the store cannot tell
/// (a <c>COMMIT</c> or fsync that failed after the data was written, a connection lost after the request was sent) it
/// throws <see cref="ContextWriteOutcomeUnknownException"/>. <see cref="ContextManager"/> treats every other exception
/// from a write as an unknown outcome too, and in both cases reads the context again with
/// <see cref="ReadContextAsync"/> before it plans the next write to it.
/// </para>
/// <para>
/// <b>Versions never repeat for an id.</b> The store keeps the highest version a delete ever removed
/// (<see cref="ContextStoreSummary.HighestDeletedVersion"/>), persisted in the same commit as the delete, so that a
/// context created again after a delete starts above every version its id ever had. One number, not a tombstone per id.
/// </para>
/// <para>
/// <b>Loading.</b> <see cref="ContextManager"/> reads the <see cref="ReadSummaryAsync">summary</see> before it serves
/// writes, then every context page by page in the background (<see cref="ReadContextsAsync"/>) while it already serves
/// reads and writes, reading a context it has not loaded yet with <see cref="ReadContextAsync"/>. A row that cannot be
/// read is reported in its page's <see cref="ContextStorePage.Unreadable"/> instead of failing the load: one bad row
/// never stops a store from serving the others.
/// </para>
/// <para>
/// Implementations batch concurrent writes as they like (group commit) but acknowledge each one only after its batch
/// is durable.
/// </para>
/// <para>
/// <b>Pipelining.</b> <see cref="ContextManager"/> hands a context's writes to <see cref="SubmitAsync"/> one at a time,
/// in version order, and does not wait for one to be durable before submitting the next: a store that can accept a
/// write before it commits lets many versions of one hot context share one commit. Such a store must apply, and
/// acknowledge, writes in the order they were submitted. The default <see cref="SubmitAsync"/> waits for
/// <see cref="WriteAsync"/>, which is always correct and never pipelines.
/// </para>
/// </remarks>
public interface IContextStore
{
    /// <summary>Reads how many contexts the store holds and the store-wide sequences: what the manager needs before it writes.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="limit"/> contexts after <paramref name="after"/>, in ordinal id order.</summary>
    /// <param name="after">Only contexts whose id sorts after it; <see langword="null"/> starts at the first.</param>
    /// <param name="limit">The most rows to cover (readable or not), at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page: its contexts, the rows it could not read, and where the next page starts.</returns>
    /// <exception cref="ContextStoreException">The store could not be read (a row that cannot be read is reported in the page instead).</exception>
    Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Reads one context's committed state.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed state, or <see langword="null"/> when the store holds no context with that id.</returns>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken);

    /// <summary>Applies one version-checked write and returns once it is durable.</summary>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">
    /// Cancels the write only until the store has accepted it; after that the caller always learns the outcome,
    /// because a write that commits must never be reported as cancelled.
    /// </param>
    /// <exception cref="ContextVersionConflictException">The stored version is not the expected one.</exception>
    /// <exception cref="RecoveryPointNotFoundException">A <see cref="RestoreContextWrite"/>'s recovery point is gone.</exception>
    /// <exception cref="ContextStoreException">The store failed; the write changed nothing.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed; the write may have taken effect.</exception>
    ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken);

    /// <summary>
    /// Accepts one version-checked write into the store's order and returns a task that completes once it is durable.
    /// </summary>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">Cancels only waiting for the store to accept the write.</param>
    /// <returns>
    /// Completes when the write has its place in the store's order: every write submitted after it is applied after it.
    /// Its result completes when the write is durable, or faults with the exceptions <see cref="WriteAsync"/> documents
    /// (a conflict or failure may also be thrown by this call itself).
    /// </returns>
    /// <exception cref="ContextVersionConflictException">The stored version is not the expected one.</exception>
    /// <exception cref="ContextStoreException">The store failed; the write changed nothing.</exception>
    async ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        await WriteAsync(write, cancellationToken).ConfigureAwait(false);
        return Task.CompletedTask;
    }

    /// <summary>Lists a context's recovery points, newest first.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovery points, newest first.</returns>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken);

    /// <summary>Reads one recovery point of a context.</summary>
    /// <param name="contextId">The context.</param>
    /// <param name="recoveryPointId">The recovery point.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovery point, or <see langword="null"/> when the context has none with that id.</returns>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken);
}
