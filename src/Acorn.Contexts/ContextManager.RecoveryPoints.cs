using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>Persists a recovery point of the context's current committed state; the oldest beyond the bound are pruned.</summary>
    /// <remarks>
    /// The recovery point captures a durable state, never a write still in flight: it takes a turn of its own, after the
    /// writes queued before it are durable.
    /// </remarks>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels until the store has accepted the write.</param>
    /// <returns>The recovery point.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; no recovery point was added.</exception>
    public ValueTask<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default) =>
        ObserveAsync("recovery_point.create", ContextMetrics.Start(), CreateRecoveryPointCoreAsync(id, cancellationToken));

    /// <summary>Lists the context's recovery points, newest first.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The recovery points, newest first.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The store could not be read.</exception>
    public async Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default)
    {
        _ = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            return await _store.ListRecoveryPointsAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException and not OperationCanceledException)
        {
            throw new ContextStoreException(id, $"The recovery points of context '{id}' could not be read.", ex);
        }
    }

    /// <summary>Restores a context to a recovery point: a write, so the version becomes current + 1.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="recoveryPointId">The recovery point to restore.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> restores over whatever is there.</param>
    /// <param name="cancellationToken">Cancels until the store has accepted the write.</param>
    /// <returns>The restored state, one version higher than the state it replaced.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="RecoveryPointNotFoundException">The context has no such recovery point.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    public ValueTask<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("restore", ContextMetrics.Start(), RestoreCoreAsync(id, recoveryPointId, expectedVersion, cancellationToken));

    private async ValueTask<RecoveryPoint> CreateRecoveryPointCoreAsync(string id, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        await PrepareWriteAsync(id, cancellationToken).ConfigureAwait(false);
        var operation = new RecoveryPointOperation(id);
        await TakeTurnAsync(operation, cancellationToken).ConfigureAwait(false);
        return operation.Point!;
    }

    private async ValueTask<ContextState> RestoreCoreAsync(string id, long recoveryPointId, long? expectedVersion, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        await PrepareWriteAsync(id, cancellationToken).ConfigureAwait(false);

        // Read before the turn, so no write waits for it; the store applies the restore only if the point still exists.
        RecoveryPoint? point;
        try
        {
            point = await _store.GetRecoveryPointAsync(id, recoveryPointId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException and not OperationCanceledException)
        {
            throw new ContextStoreException(id, $"Recovery point {recoveryPointId} of context '{id}' could not be read.", ex);
        }

        var operation = new RestoreOperation(id, recoveryPointId, point, expectedVersion);
        return (await TakeTurnAsync(operation, cancellationToken).ConfigureAwait(false))!;
    }
}
