namespace Acorn.Orleans;

/// <summary>One Acorn context on an Orleans cluster; the grain key is the context id.</summary>
/// <remarks>
/// <para>
/// Writes queue in the grain in arrival order. One loop plans them on the running state (consecutive versions,
/// compare-and-set checked against the versions planned before) and persists everything planned while the previous
/// storage write was in flight with one storage write; each caller is answered after that write succeeded, refusals
/// too (they were decided on it). Reads answer at once with the last persisted state.
/// </para>
/// <para>
/// Expected refusals (not found, exists, stale version, a patch that cannot apply) are <see cref="ContextWriteOutcome"/>s;
/// storage failures are exceptions. After one the grain restores its state, answers every other queued operation with
/// <see cref="ContextWriteOutcome.NotAttempted"/> and deactivates, so that the next activation reads what storage
/// holds. <see cref="ContextGrainClient"/> turns outcomes into Acorn's exceptions.
/// </para>
/// </remarks>
public interface IContextGrain : IGrainWithStringKey
{
    /// <summary>Returns the last persisted state, or <see langword="null"/> when the context does not exist or has expired.</summary>
    /// <returns>The state, if any.</returns>
    Task<ContextRecord?> GetAsync();

    /// <summary>Creates the context unless it exists (an expired one is replaced), one version above the last the id ever had.</summary>
    /// <param name="write">The content.</param>
    /// <param name="maxContexts">How many contexts the scope may hold; the directory refuses the create beyond it.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.AlreadyExists"/>, <see cref="ContextWriteOutcome.LimitExceeded"/>, <see cref="ContextWriteOutcome.InvalidContent"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<ContextWriteResult> CreateAsync(ContextWrite write, int maxContexts);

    /// <summary>Replaces the content (version + 1), optionally only if the context is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="write">The new content.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> replaces whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/>, <see cref="ContextWriteOutcome.InvalidContent"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<ContextWriteResult> UpdateAsync(ContextWrite write, long? expectedVersion);

    /// <summary>
    /// Writes <paramref name="writes"/> as consecutive versions above <paramref name="expectedVersion"/>, all or none:
    /// one caller's read-modify-writes, computed on the versions before them, in one call.
    /// </summary>
    /// <param name="writes">The new contents, in order (at least one).</param>
    /// <param name="expectedVersion">The version the first write replaces.</param>
    /// <returns>The new states, or why none was written.</returns>
    Task<ContextRunResult> UpdateRunAsync(IReadOnlyList<ContextWrite> writes, long expectedVersion);

    /// <summary>
    /// Applies a patch to the data in the grain's turn, on the newest planned state (version + 1), optionally only if
    /// the context is at <paramref name="expectedVersion"/>; metadata and expiry stay as they are.
    /// </summary>
    /// <param name="patch">The patch and the caller's content limits.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> patches whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/>, <see cref="ContextWriteOutcome.PatchFailed"/>, <see cref="ContextWriteOutcome.InvalidPatch"/>, <see cref="ContextWriteOutcome.InvalidContent"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<ContextWriteResult> PatchAsync(ContextPatchWrite patch, long? expectedVersion);

    /// <summary>Deletes the context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/> with the deleted state, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<ContextWriteResult> DeleteAsync(long? expectedVersion);

    /// <summary>Persists a recovery point of the state every write queued before it leaves, pruning the oldest beyond <paramref name="keep"/>.</summary>
    /// <param name="keep">How many recovery points the context keeps (at least 1).</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/> with the point, <see cref="ContextWriteOutcome.NotFound"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<RecoveryPointResult> CreateRecoveryPointAsync(int keep);

    /// <summary>Returns the context's persisted recovery points, newest first.</summary>
    /// <returns>The recovery points; empty when there are none or the context does not exist.</returns>
    Task<IReadOnlyList<RecoveryPointRecord>> ListRecoveryPointsAsync();

    /// <summary>Writes a recovery point's content as a new version, optionally only if the context is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="recoveryPointId">The recovery point.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> restores over whatever is there.</param>
    /// <returns><see cref="ContextWriteOutcome.Written"/>, <see cref="ContextWriteOutcome.NotFound"/>, <see cref="ContextWriteOutcome.VersionConflict"/>, <see cref="ContextWriteOutcome.RecoveryPointNotFound"/> or <see cref="ContextWriteOutcome.NotAttempted"/>.</returns>
    Task<ContextWriteResult> RestoreAsync(long recoveryPointId, long? expectedVersion);

    /// <summary>Deletes the context if it has expired, through the normal write path.</summary>
    /// <returns><see cref="ContextWriteOutcome.Written"/> with the expired state, or <see cref="ContextWriteOutcome.NotFound"/> when there was nothing expired to remove.</returns>
    Task<ContextWriteResult> ExpireAsync();

    /// <summary>Removes the id from the scope's directory if the context does not exist (an entry left by a failed write).</summary>
    /// <returns>A task that completes when the directory agrees with the grain.</returns>
    Task ForgetIfAbsentAsync();
}
