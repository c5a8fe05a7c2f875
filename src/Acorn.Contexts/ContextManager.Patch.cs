using System.Diagnostics;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>
    /// Applies a JSON Merge Patch or JSON Patch to a context's data atomically, optionally only if it is still at
    /// <paramref name="expectedVersion"/>; its metadata and expiry stay as they are.
    /// </summary>
    /// <param name="id">The context id.</param>
    /// <param name="patch">The patch, applied to the context's latest data under its lock.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> patches whatever is there.</param>
    /// <param name="cancellationToken">Cancels the patch until the store has accepted it.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <remarks>
    /// The patch is data, so it is applied where the write is planned, on the newest state: concurrent patches of one
    /// context chain one after the other (and share the store's group commits) instead of retrying. A refusal (failed
    /// operation, limits) that would rest on a write still in flight waits for it and is decided on committed data.
    /// </remarks>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextPatchFailedException">A JSON Patch operation cannot apply to the data; it names the operation and its path.</exception>
    /// <exception cref="InvalidContextDataException">The patched data would break a limit or not be a JSON object.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    public ValueTask<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("patch", Stopwatch.GetTimestamp(), PatchCoreAsync(id, patch, expectedVersion, cancellationToken));

    private async ValueTask<ContextState> PatchCoreAsync(string id, ContextPatch patch, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ContextId.Validate(id);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return await PipelineWriteAsync(id, (patch, expectedVersion), PlanPatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Under the context's lock, on its head: the patched state, or the refusal.</summary>
    private WritePlan<ContextState> PlanPatch(ContextState? head, (ContextPatch Patch, long? ExpectedVersion) args, string id)
    {
        if (head is null)
        {
            throw new ContextNotFoundException(id);
        }

        if (args.ExpectedVersion is { } expected && expected != head.Version)
        {
            throw new ContextVersionConflictException(id, expected, head.Version);
        }

        var patched = args.Patch.ApplyTo(id, head.Data);
        var (data, metadata) = ContextContentValidator.Validate(id, new ContextContent(patched, head.Metadata), _options);
        var state = new ContextState(id, head.Version + 1, head.CreatedAt, _time.GetUtcNow(), head.ExpiresAt, data, metadata);
        return new WritePlan<ContextState>(state, new PutContextWrite(state), state, ContextChangeKind.Updated, ReservesSlot: false);
    }
}
