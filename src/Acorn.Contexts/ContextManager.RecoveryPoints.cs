using System.Diagnostics;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>Persists a recovery point of the context's current state; the oldest beyond the bound are pruned.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Cancels until the store has accepted the write.</param>
    /// <returns>The recovery point.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The store failed; no recovery point was added.</exception>
    public ValueTask<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default) =>
        ObserveAsync("recovery_point.create", Stopwatch.GetTimestamp(), CreateRecoveryPointCoreAsync(id, cancellationToken));

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
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    public ValueTask<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("restore", Stopwatch.GetTimestamp(), RestoreCoreAsync(id, recoveryPointId, expectedVersion, cancellationToken));

    private async ValueTask<RecoveryPoint> CreateRecoveryPointCoreAsync(string id, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await WithContextLockAsync(id, 0, CreateRecoveryPointLockedAsync, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RecoveryPoint> CreateRecoveryPointLockedAsync(ContextState? current, int unused, string id, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            throw new ContextNotFoundException(id);
        }

        // Taken under the context's lock so ids grow in the order the store receives them.
        var point = new RecoveryPoint(Interlocked.Increment(ref _lastRecoveryPointId), current, _time.GetUtcNow());
        await StoreAsync(new AddRecoveryPointWrite(point, _options.MaxRecoveryPointsPerContext), cancellationToken).ConfigureAwait(false);
        return point;
    }

    private async ValueTask<ContextState> RestoreCoreAsync(string id, long recoveryPointId, long? expectedVersion, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await WithContextLockAsync(id, (recoveryPointId, expectedVersion), RestoreLockedAsync, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ContextState> RestoreLockedAsync(
        ContextState? current, (long RecoveryPointId, long? ExpectedVersion) args, string id, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            throw new ContextNotFoundException(id);
        }

        if (args.ExpectedVersion is { } expected && expected != current.Version)
        {
            throw new ContextVersionConflictException(id, expected, current.Version);
        }

        RecoveryPoint? point;
        try
        {
            point = await _store.GetRecoveryPointAsync(id, args.RecoveryPointId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException and not OperationCanceledException)
        {
            throw new ContextStoreException(id, $"Recovery point {args.RecoveryPointId} of context '{id}' could not be read.", ex);
        }

        if (point is null)
        {
            throw new RecoveryPointNotFoundException(id, args.RecoveryPointId);
        }

        var restored = new ContextState(
            id, current.Version + 1, current.CreatedAt, _time.GetUtcNow(), current.ExpiresAt, point.State.Data, point.State.Metadata);
        await CommitAsync(new PutContextWrite(restored), restored, ContextChangeKind.Restored, cancellationToken).ConfigureAwait(false);
        return restored;
    }
}
