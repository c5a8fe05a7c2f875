using Acorn.Contexts;
using Orleans.Storage;

namespace Acorn.Orleans;

/// <summary>
/// Acorn's context operations on a cluster, with <see cref="ContextManager"/>'s exceptions: the calls an
/// Orleans-backed context manager makes.
/// </summary>
/// <remarks>
/// A grain call cannot carry a delegate, so the read-modify-write <see cref="UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>
/// runs the function here and writes with compare-and-set, retrying on a newer version. Storage failures surface as
/// <see cref="ContextStoreException"/>; when a storage call failed after it was sent, the write may or may not have
/// been persisted (a later read tells), which the exception's message says.
/// </remarks>
public sealed class ContextGrainClient
{
    private readonly IGrainFactory _grains;
    private readonly ContextOptions _options;
    private readonly string _scope;

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
    /// <exception cref="InvalidContextIdException"><paramref name="scope"/> is neither empty nor a valid id.</exception>
    public ContextGrainClient(IGrainFactory grains, ContextOptions? options = null, string scope = "")
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Length > 0)
        {
            ContextId.Validate(scope);
        }

        _grains = grains;
        _options = options?.Clone() ?? new ContextOptions();
        _scope = scope;
    }

    private ContextGrainClient(ContextGrainClient other)
    {
        (_grains, _options, _scope) = (other._grains, other._options, other._scope);
    }

    /// <summary>Called after every write this client made was persisted: what changed, the grain's answer (with its change number), and the new or removed state.</summary>
    internal Action<ContextChangeKind, ContextWriteResult, ContextState>? Written { get; init; }

    /// <summary>A client like this one that reports each persisted write to <paramref name="written"/>.</summary>
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
    public async Task<ContextState?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var record = await CallAsync(id, g => g.GetAsync(), cancellationToken);
        return record?.ToState();
    }

    /// <summary>Returns a context.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    public async Task<ContextState> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) ?? throw new ContextNotFoundException(id);

    /// <summary>Creates a context, one version above the last its id ever had.</summary>
    /// <param name="id">The new context's id.</param>
    /// <param name="content">Its data, metadata and time to live.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextAlreadyExistsException">A context with that id exists.</exception>
    /// <exception cref="ContextLimitExceededException">The scope holds <see cref="ContextOptions.MaxContexts"/> contexts.</exception>
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> CreateAsync(string id, ContextContent content, CancellationToken cancellationToken = default)
    {
        var write = Checked(id, content) with { TimeToLive = content.TimeToLive ?? _options.DefaultTimeToLive };
        var result = await CallAsync(id, g => g.CreateAsync(write, _options.MaxContexts), cancellationToken);
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
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> UpdateAsync(
        string id, ContextContent content, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var write = Checked(id, content);
        var result = await CallAsync(id, g => g.UpdateAsync(write, expectedVersion), cancellationToken);
        return Unwrap(id, expectedVersion, ContextChangeKind.Updated, result);
    }

    /// <summary>Reads, changes and writes a context with compare-and-set; a concurrent update is never lost.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="update">Computes the new content; it may run more than once, so it must not have side effects.</param>
    /// <param name="cancellationToken">Stops retrying and waiting.</param>
    /// <returns>The new state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="InvalidContextDataException">The computed content breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> UpdateAsync(
        string id, Func<ContextState, ContextContent> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await GetAsync(id, cancellationToken);
            try
            {
                return await UpdateAsync(id, update(current), current.Version, cancellationToken);
            }
            catch (ContextVersionConflictException)
            {
                // Another writer got in first: read its version and compute again.
            }
        }
    }

    /// <summary>Applies a patch to a context's data with compare-and-set; metadata and expiry stay as they are.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="patch">The patch; it is applied here, to the data this client read, and again after a conflict.</param>
    /// <param name="expectedVersion">
    /// The version the caller read; <see langword="null"/> patches whatever is there, retrying on a newer version.
    /// </param>
    /// <param name="cancellationToken">Stops retrying and waiting.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <remarks>Until the grain applies patches itself, a hot context's concurrent patches retry here, as read-modify-writes do.</remarks>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextPatchFailedException">A JSON Patch operation cannot apply to the data.</exception>
    /// <exception cref="InvalidContextDataException">The patched data breaks a limit or is not a JSON object.</exception>
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ContextContent Patched(ContextState current) => new(patch.ApplyTo(id, current.Data), current.Metadata);
        if (expectedVersion is not { } expected)
        {
            return await UpdateAsync(id, Patched, cancellationToken);
        }

        var current = await GetAsync(id, cancellationToken);
        return current.Version == expected
            ? await UpdateAsync(id, Patched(current), expected, cancellationToken)
            : throw new ContextVersionConflictException(id, expected, current.Version);
    }

    /// <summary>Deletes a context and its recovery points, optionally only if it is at <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> deletes whatever is there.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The deleted state.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> DeleteAsync(string id, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(id, g => g.DeleteAsync(expectedVersion), cancellationToken);
        return Unwrap(id, expectedVersion, ContextChangeKind.Deleted, result);
    }

    /// <summary>Persists a recovery point of a context's current state.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The recovery point.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<RecoveryPoint> CreateRecoveryPointAsync(string id, CancellationToken cancellationToken = default)
    {
        var point = await CallAsync(id, g => g.CreateRecoveryPointAsync(_options.MaxRecoveryPointsPerContext), cancellationToken);
        return point?.ToRecoveryPoint() ?? throw new ContextNotFoundException(id);
    }

    /// <summary>Returns a context's recovery points, newest first.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The recovery points.</returns>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    public async Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string id, CancellationToken cancellationToken = default)
    {
        _ = await GetAsync(id, cancellationToken);
        var points = await CallAsync(id, g => g.ListRecoveryPointsAsync(), cancellationToken);
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
    /// <exception cref="ContextStoreException">The storage provider failed.</exception>
    public async Task<ContextState> RestoreAsync(
        string id, long recoveryPointId, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(id, g => g.RestoreAsync(recoveryPointId, expectedVersion), cancellationToken);
        return result.Outcome == ContextWriteOutcome.RecoveryPointNotFound
            ? throw new RecoveryPointNotFoundException(id, recoveryPointId)
            : Unwrap(id, expectedVersion, ContextChangeKind.Restored, result);
    }

    /// <summary>Deletes a context if it has expired, publishing an <see cref="ContextChangeKind.Expired"/> change.</summary>
    internal async Task<bool> ExpireAsync(string id, CancellationToken cancellationToken)
    {
        var result = await CallAsync(id, g => g.ExpireAsync(), cancellationToken);
        if (result.Outcome != ContextWriteOutcome.Written)
        {
            return false;
        }

        Written?.Invoke(ContextChangeKind.Expired, result, result.Record!.ToState());
        return true;
    }

    /// <summary>Calls a context's grain with this client's error mapping.</summary>
    internal Task<T> CallAsync<T>(string id, Func<IContextGrain, Task<T>> call, CancellationToken cancellationToken)
    {
        ContextId.Validate(id);
        return GuardAsync(id, () => call(Grain(id)), cancellationToken);
    }

    /// <summary>Runs a call into the cluster, turning storage and cluster failures into <see cref="ContextStoreException"/>.</summary>
    internal static async Task<T> GuardAsync<T>(string id, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().WaitAsync(cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            throw new ContextStoreException(
                id, $"context '{id}' was written by another activation; this write was not persisted: retry", ex);
        }
        catch (Exception ex) when (ex is not (ContextException or OperationCanceledException or ArgumentException))
        {
            throw new ContextStoreException(
                id, $"the write or read of context '{id}' failed ({ex.GetBaseException().Message}); a write may or may not have been persisted", ex);
        }
    }

    private ContextWrite Checked(string id, ContextContent content)
    {
        ContextId.Validate(id);
        ContextContentRules.ThrowIfInvalid(id, content, _options);
        return ContextWrite.From(id, content);
    }

    private ContextState Unwrap(string id, long? expectedVersion, ContextChangeKind kind, ContextWriteResult result)
    {
        var state = Unwrap(id, expectedVersion, result);
        Written?.Invoke(kind, result, state);
        return state;
    }

    private ContextState Unwrap(string id, long? expectedVersion, ContextWriteResult result) => result.Outcome switch
    {
        ContextWriteOutcome.Written => result.Record!.ToState(),
        ContextWriteOutcome.LimitExceeded => throw new ContextLimitExceededException(id, _options.MaxContexts, "contexts"),
        ContextWriteOutcome.InvalidContent => throw new InvalidContextDataException(id, result.Reason ?? "refused by the silo"),
        ContextWriteOutcome.NotFound => throw new ContextNotFoundException(id),
        ContextWriteOutcome.AlreadyExists => throw new ContextAlreadyExistsException(id),
        ContextWriteOutcome.VersionConflict =>
            throw new ContextVersionConflictException(id, expectedVersion ?? 0, result.Record?.Version ?? 0),
        _ => throw new ContextStoreException(id, $"context '{id}': unexpected grain outcome {result.Outcome}"),
    };
}
