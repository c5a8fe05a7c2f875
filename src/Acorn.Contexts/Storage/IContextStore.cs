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
/// is durable. <see cref="ContextManager"/> never has two writes to one context in flight at once.
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
