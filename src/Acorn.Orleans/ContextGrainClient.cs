using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>
/// Acorn's context operations on a cluster, with <see cref="ContextManager"/>'s exceptions: the calls an
/// Orleans-backed context manager makes.
/// </summary>
/// <remarks>
/// <para>
/// Writes, patches included, are applied by the context's grain in its own turn. A grain call cannot carry a delegate,
/// so the read-modify-write <see cref="UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// runs the function here: this client's read-modify-writes of one context queue in a local turn, which plans them on
/// the newest version it knows and sends them to the grain together as one compare-and-set run. They conflict (and
/// run again) only with other processes' writes.
/// </para>
/// <para>
/// Failures: a read is retried while the silo hosting the grain cannot be reached, for
/// <see cref="ClusterRetryOptions.RetryFor"/>; a write only when the failure proves the request never reached a grain
/// (a connection that could not be made, a rejection), since a write sent twice could apply twice. A write that failed
/// after it may have been persisted throws <see cref="ContextWriteOutcomeUnknownException"/>; other storage and cluster
/// failures <see cref="ContextStoreException"/>.
/// </para>
/// </remarks>
public sealed class ContextGrainClient
{
    private readonly IGrainFactory _grains;
    private readonly ContextOptions _options;
    private readonly ClusterRetryOptions _retry;
    private readonly string _scope;
    private readonly ReadModifyWriteTurns _turns;

    /// <summary>Creates a client of one scope's contexts.</summary>
    /// <param name="grains">The cluster client or a silo's grain factory.</param>
    /// <param name="options">
    /// The limits this client applies: content limits (checked here; the silo checks its own too), the scope's
    /// <see cref="ContextOptions.MaxContexts"/>, <see cref="ContextOptions.DefaultTimeToLive"/> and
    /// <see cref="ContextOptions.MaxRecoveryPointsPerContext"/>. Give every client of a scope the same options.
    /// </param>
    /// <param name="scope">
    /// Keeps this client's contexts apart from other scopes' on the same cluster (a valid context id, or empty for the
    /// default scope).
    /// </param>
    /// <param name="retry">How long calls are retried while a dead silo is replaced; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="InvalidContextIdException"><paramref name="scope"/> is neither empty nor a valid id.</exception>
    public ContextGrainClient(IGrainFactory grains, ContextOptions? options = null, string scope = "", ClusterRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Length > 0)
        {
            ContextId.Validate(scope);
        }

        _grains = grains;
        _options = options?.Clone() ?? new ContextOptions();
        _retry = retry?.Clone() ?? new ClusterRetryOptions();
        _scope = scope;
        _turns = new ReadModifyWriteTurns(this);
    }

    private ContextGrainClient(ContextGrainClient other)
    {
        (_grains, _options, _retry, _scope, _turns) = (other._grains, other._options, other._retry, other._scope, other._turns);
    }

    /// <summary>Called after every write this client made was persisted: what changed, the grain's answer (with its change number), and the new or removed state.</summary>
    internal Action<ContextChangeKind, ContextWriteResult, ContextState>? Written { get; init; }

    /// <summary>A client like this one (sharing its read-modify-write turns) that reports each persisted write to <paramref name="written"/>.</summary>
    internal ContextGrainClient Reporting(Action<ContextChangeKind, ContextWriteResult, ContextState> written) => new(this) { Written = written };

    /// <summary>The scope's directory: listing, counting and the expiry sweep.</summary>
    internal IContextDirectoryGrain Directory => _grains.GetGrain<IContextDirectoryGrain>(AcornOrleans.DirectoryKey(_scope));

    /// <summary>The grain of context <paramref name="id"/> in this client's scope.</summary>
    internal IContextGrain Grain(string id) => _grains.GetGrain<IContextGrain>(AcornOrleans.ContextKey(_scope, id));

    /// <summary>Returns a context, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The state, if any.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextStoreException">The cluster or its storage failed, beyond the retry window for a dead silo.</exception>
    public async Task<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var record = await FindRecordAsync(id, cancellationToken).ConfigureAwait(false);
        return record?.ToState();
    }

    /// <summary>Returns a context.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The cluster or its storage failed, beyond the retry window for a dead silo.</exception>
    public async Task<ContextState> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(id);

    /// <summary>Creates a context, one version above the last its id ever had.</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its data, metadata and time to live.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextAlreadyExistsException">A context with that id exists.</exception>
    /// <exception cref="ContextLimitExceededException">The scope holds <see cref="ContextOptions.MaxContexts"/> contexts.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default)
    {
        var write = Checked(id, content) with { TimeToLive = content.TimeToLive ?? _options.DefaultTimeToLive };
        var result = await WriteAsync(id, g => g.CreateAsync(write, _options.MaxContexts), cancellationToken).ConfigureAwait(false);
        return Unwrap(id, null, ContextChangeKind.Created, result);
    }

    /// <summary>Replaces a context's content, optionally only if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="content">The new content.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> replaces whatever is there.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var write = Checked(id, content);
        var result = await WriteAsync(id, g => g.UpdateAsync(write, expectedVersion), cancellationToken).ConfigureAwait(false);
        return Unwrap(id, expectedVersion, ContextChangeKind.Updated, result);
    }

    /// <summary>
    /// Reads, changes and writes a context; a concurrent update is never lost. This client's read-modify-writes of one
    /// context take turns: each is computed on the version the one before it writes, and they reach the grain together.
    /// </summary>
    /// <param name="id">The context id.</param>
    /// <param name="update">
    /// Computes the new content; it runs again when another process wrote first, so it must not have side effects, and
    /// it must not write to the same context (that throws <see cref="InvalidOperationException"/>).
    /// </param>
    /// <param name="cancellationToken">Withdraws the update while it waits for its turn, and stops waiting for the answer.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The computed content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    /// <exception cref="InvalidOperationException">Called by an update function of the same context.</exception>
    public Task<ContextState> UpdateAsync(string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ContextId.Validate(id);
        return _turns.UpdateAsync(id, update, Written, cancellationToken);
    }

    /// <summary>
    /// Applies a patch to a context's data in the grain's turn, on the newest version, optionally only if it is still at
    /// <paramref name="expectedVersion"/>; metadata and expiry stay as they are. Concurrent patches queue in the grain
    /// and share its storage writes; none is retried.
    /// </summary>
    /// <param name="id">The context id.</param>
    /// <param name="patch">The patch; it travels as its kind and JSON text, with this client's content limits.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> patches whatever is there.</param>
    /// <param name="cancellationToken">Stops waiting for the answer (the patch may still be applied).</param>
    /// <returns>The new state, one version higher.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextPatchFailedException">A JSON Patch operation cannot apply to the data.</exception>
    /// <exception cref="InvalidContextDataException">The patched data breaks this client's or the silo's limits, or is not a JSON object.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ContextId.Validate(id);
        var write = ContextPatchWrite.From(patch, _options);
        var result = await WriteAsync(id, g => g.PatchAsync(write, expectedVersion), cancellationToken).ConfigureAwait(false);
        return Unwrap(id, expectedVersion, ContextChangeKind.Updated, result);
    }

    /// <summary>Deletes a context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The deleted state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = await WriteAsync(id, g => g.DeleteAsync(expectedVersion), cancellationToken).ConfigureAwait(false);
        return Unwrap(id, expectedVersion, ContextChangeKind.Deleted, result);
    }

    /// <summary>Persists a recovery point of a context's state, after every write queued before it.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The recovery point.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default)
    {
        ContextId.Validate(id);
        var result = await ClusterCall.WriteAsync(
            id, () => Grain(id).CreateRecoveryPointAsync(_options.MaxRecoveryPointsPerContext),
            r => r.Outcome == ContextWriteOutcome.NotAttempted, _retry, cancellationToken).ConfigureAwait(false);
        return result.Point?.ToRecoveryPoint() ?? throw new ContextNotFoundException(id);
    }

    /// <summary>Returns a context's recovery points, newest first.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The recovery points.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The cluster or its storage failed, beyond the retry window for a dead silo.</exception>
    public async Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default)
    {
        _ = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var points = await ReadAsync(id, g => g.ListRecoveryPointsAsync(), cancellationToken).ConfigureAwait(false);
        return [.. points.Select(p => p.ToRecoveryPoint())];
    }

    /// <summary>Restores a context to a recovery point: a write, so the version goes up by one.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="recoveryPointId">The recovery point.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> restores over whatever is there.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="RecoveryPointNotFoundException">The context has no such recovery point.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The write failed after it may have been persisted.</exception>
    /// <exception cref="ContextStoreException">The storage provider or the cluster failed; nothing was written.</exception>
    public async Task<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = await WriteAsync(id, g => g.RestoreAsync(recoveryPointId, expectedVersion), cancellationToken).ConfigureAwait(false);
        return result.Outcome == ContextWriteOutcome.RecoveryPointNotFound
            ? throw new RecoveryPointNotFoundException(id, recoveryPointId)
            : Unwrap(id, expectedVersion, ContextChangeKind.Restored, result);
    }

    /// <summary>Deletes a context if it has expired, publishing an <see cref="ContextChangeKind.Expired"/> change.</summary>
    internal async Task<bool> ExpireAsync(string id, CancellationToken cancellationToken)
    {
        var result = await WriteAsync(id, g => g.ExpireAsync(), cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ContextWriteOutcome.Written)
        {
            return false;
        }

        Written?.Invoke(ContextChangeKind.Expired, result, result.Record!.ToState());
        return true;
    }

    /// <summary>The last persisted record of a context, read with the retry rules of reads.</summary>
    internal Task<ContextRecord?> FindRecordAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(id, g => g.GetAsync(), cancellationToken);

    /// <summary>Calls a context's grain for a read: retried while its silo cannot be reached.</summary>
    internal Task<T> ReadAsync<T>(string id, Func<IContextGrain, Task<T>> call, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        return ClusterCall.ReadAsync(id, () => call(Grain(id)), _retry, cancellationToken);
    }

    /// <summary>Calls another grain for a read (the directory), with the same retry rules.</summary>
    internal Task<T> ReadAsync<T>(string name, Func<Task<T>> call, CancellationToken cancellationToken) =>
        ClusterCall.ReadAsync(name, call, _retry, cancellationToken);

    /// <summary>Sends a run of read-modify-writes to a context's grain, with the retry rules of writes.</summary>
    internal Task<ContextRunResult> WriteRunAsync(string id, IReadOnlyList<ContextWrite> writes, long expectedVersion) =>
        ClusterCall.WriteAsync(
            id, () => Grain(id).UpdateRunAsync(writes, expectedVersion), r => r.Outcome == ContextWriteOutcome.NotAttempted, _retry, CancellationToken.None);

    /// <summary>Checks content against this client's limits and converts it for the grain.</summary>
    internal ContextWrite Checked(string id, ContextContent content)
    {
        ContextId.Validate(id);
        ContextContentRules.ThrowIfInvalid(id, content, _options);
        return ContextWrite.From(id, content);
    }

    private Task<ContextWriteResult> WriteAsync(string id, Func<IContextGrain, Task<ContextWriteResult>> call, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        return ClusterCall.WriteAsync(id, () => call(Grain(id)), r => r.Outcome == ContextWriteOutcome.NotAttempted, _retry, cancellationToken);
    }

    private ContextState Unwrap(string id, long? expectedVersion, ContextChangeKind kind, ContextWriteResult result)
    {
        var state = result.Outcome switch
        {
            ContextWriteOutcome.Written => result.Record!.ToState(),
            ContextWriteOutcome.LimitExceeded => throw new ContextLimitExceededException(id, _options.MaxContexts, "contexts"),
            ContextWriteOutcome.InvalidContent => throw new InvalidContextDataException(id, result.Reason ?? "refused by the silo"),
            ContextWriteOutcome.NotFound => throw new ContextNotFoundException(id),
            ContextWriteOutcome.AlreadyExists => throw new ContextAlreadyExistsException(id),
            ContextWriteOutcome.VersionConflict =>
                throw new ContextVersionConflictException(id, expectedVersion ?? 0, result.Record?.Version ?? 0),
            ContextWriteOutcome.PatchFailed when result.PatchFailure is { } failed =>
                throw new ContextPatchFailedException(id, failed.OperationIndex, failed.Operation, failed.Path, failed.Reason),
            ContextWriteOutcome.InvalidPatch => throw new InvalidContextPatchException(result.Reason ?? "refused by the silo"),
            _ => throw new ContextStoreException(id, $"context '{id}': unexpected grain outcome {result.Outcome}"),
        };
        Written?.Invoke(kind, result, state);
        return state;
    }
}
