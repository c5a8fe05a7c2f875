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
    /// <summary>Reads everything the manager keeps in memory.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>All contexts and the recovery point sequence.</returns>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    Task<ContextStoreSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Applies one version-checked write and returns once it is durable.</summary>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">
    /// Cancels the write only until the store has accepted it; after that the caller always learns the outcome,
    /// because a write that commits must never be reported as cancelled.
    /// </param>
    /// <exception cref="ContextVersionConflictException">The stored version is not the expected one.</exception>
    /// <exception cref="ContextStoreException">The store failed; the write changed nothing.</exception>
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
