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
    /// <param name="patch">The patch, applied in the context's turn to the data every earlier write leaves.</param>
    /// <param name="expectedVersion">The version the caller read; <see langword="null"/> patches whatever is there.</param>
    /// <param name="cancellationToken">Withdraws the patch while it waits for its turn; once planned, it runs to its outcome.</param>
    /// <returns>The new state, one version higher.</returns>
    /// <remarks>
    /// The patch is data, so it is applied where the write is planned, in the context's turn, on the newest state:
    /// concurrent patches of one context chain one after the other (and share the store's group commits) instead of
    /// retrying. A refusal (failed operation, limits) is delivered only once the writes it was decided on are durable.
    /// </remarks>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ContextVersionConflictException">The context is no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="ContextPatchFailedException">A JSON Patch operation cannot apply to the data; it names the operation and its path.</exception>
    /// <exception cref="InvalidContextDataException">The patched data would break a limit or not be a JSON object.</exception>
    /// <exception cref="ContextWriteOutcomeUnknownException">The store failed in a way that leaves the outcome unknown.</exception>
    /// <exception cref="ContextStoreException">The store failed; nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">Called by an update function of the same context.</exception>
    public ValueTask<ContextState> PatchAsync(
        string id, ContextPatch patch, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("patch", ContextMetrics.Start(), PatchCoreAsync(id, patch, expectedVersion, cancellationToken));

    private ValueTask<ContextState> PatchCoreAsync(string id, ContextPatch patch, long? expectedVersion, CancellationToken cancellationToken) =>
        QueueWriteAsync(
            (id, patch, expectedVersion),
            static (_, args) =>
            {
                ArgumentNullException.ThrowIfNull(args.patch, nameof(patch));
                ContextId.Validate(args.id);
                return new PatchOperation(args.id, args.patch, args.expectedVersion);
            },
            cancellationToken);

    /// <summary>A patch of the data, unconditional or compare-and-set, applied in the turn to the running head.</summary>
    private sealed class PatchOperation(string id, ContextPatch patch, long? expectedVersion) : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion);
            var options = manager._options;
            var (data, metadata, _) = patch.Merge is { } merge
                ? ContextContentValidator.ValidateWritten(
                    Id,
                    (Merge: merge, Target: current.Data),
                    static (writer, s) => s.Merge.WriteMerged(writer, s.Target),
                    current.Metadata,
                    options)
                : ContextContentValidator.Validate(Id, new ContextContent(patch.ApplyTo(Id, current.Data), current.Metadata), options);
            Updated(NextState(current, now, data, metadata, timeToLive: null));
        }
    }
}
