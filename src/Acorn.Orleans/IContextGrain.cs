namespace Acorn.Orleans;

/// <summary>One Acorn context on an Orleans cluster; the grain key is the context id.</summary>
/// <remarks>
/// The grain is not reentrant, so Orleans runs its calls one at a time: that is the per-context order, with no lock.
/// A write is answered only after the storage provider has persisted it. Expected refusals (not found, exists,
/// stale version) are <see cref="ContextWriteOutcome"/>s; storage failures are exceptions, and after one the grain
/// deactivates so that the next call reads the stored state again. <see cref="ContextGrainClient"/> turns outcomes
/// into Acorn's exceptions.
/// </remarks>
public interface IContextGrain : IGrainWithStringKey
{
    /// <summary>Returns the current state, or <see langword="null"/> when the context does not exist or has expired.</summary>
    /// <returns>The state, if any.</returns>
    Task<ContextRecord?> GetAsync();

    /// <summary>Creates the context unless it exists (an expired one is replaced), one version above the last the id ever had.</summary>
    /// <param name="write">The content.</param>
    /// <param name="maxContexts">How many contexts the scope may hold; the directory refuses the create beyond it.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.AlreadyExists"/>, <see cref="ContextWriteOutcome.LimitExceeded"/> or <see cref="ContextWriteOutcome.InvalidContent"/>.</returns>
    Task<ContextWriteResult> CreateAsync(ContextWrite write, int maxContexts);

    /// <summary>Replaces the content (version + 1), optionally only if the context is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="write">The new content.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> replaces whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/> or <see cref="ContextWriteOutcome.InvalidContent"/>.</returns>
    Task<ContextWriteResult> UpdateAsync(ContextWrite write, long? expectedVersion);

    /// <summary>Deletes the context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/> with the deleted state, <see cref="ContextWriteOutcome.NotFound"/> or <see cref="ContextWriteOutcome.VersionConflict"/>.</returns>
    Task<ContextWriteResult> DeleteAsync(long? expectedVersion);

    /// <summary>Persists a recovery point of the current state, pruning the oldest beyond <paramref name="keep"/>.</summary>
    /// <param name="keep">How many recovery points the context keeps (at least 1).</param>
    /// <returns>The recovery point, or <see langword="null"/> when the context does not exist.</returns>
    Task<RecoveryPointRecord?> CreateRecoveryPointAsync(int keep);

    /// <summary>Returns the context's recovery points, newest first.</summary>
    /// <returns>The recovery points; empty when there are none or the context does not exist.</returns>
    Task<IReadOnlyList<RecoveryPointRecord>> ListRecoveryPointsAsync();

    /// <summary>Writes a recovery point's content as a new version, optionally only if the context is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="recoveryPointId">The recovery point.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> restores over whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/> or <see cref="ContextWriteOutcome.RecoveryPointNotFound"/>.</returns>
    Task<ContextWriteResult> RestoreAsync(long recoveryPointId, long? expectedVersion);

    /// <summary>Deletes the context if it has expired, through the normal write path.</summary>
    /// <returns><see cref="ContextWriteOutcome.Written"/> with the expired state, or <see cref="ContextWriteOutcome.NotFound"/> when there was nothing expired to remove.</returns>
    Task<ContextWriteResult> ExpireAsync();

    /// <summary>Removes the id from the scope's directory if the context does not exist (an entry left by a failed write).</summary>
    /// <returns>A task that completes when the directory agrees with the grain.</returns>
    Task ForgetIfAbsentAsync();
}
