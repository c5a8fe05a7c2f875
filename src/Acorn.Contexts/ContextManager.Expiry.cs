namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>
    /// Deletes every expired context through the normal write path, publishing an <see cref="ContextChangeKind.Expired"/>
    /// change for each.
    /// </summary>
    /// <remarks>
    /// A context the store fails to delete is logged and skipped: the sweep goes on with the others, and the next sweep
    /// tries it again.
    /// </remarks>
    /// <param name="cancellationToken">Stops the sweep between contexts.</param>
    /// <returns>How many contexts this sweep removed.</returns>
    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var removed = await ExpireDueAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            Log.ExpiredRemoved(_logger, removed);
        }

        return removed;
    }

    /// <summary>Deletes the contexts that have expired, each in its own turn; returns how many it removed.</summary>
    private async ValueTask<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var removed = 0;

        // The map's own enumerator: no copy of a store-sized list for a sweep that usually finds few.
        foreach (var (id, state) in _contexts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!state.IsExpiredAt(now))
            {
                continue;
            }

            try
            {
                if (await TakeTurnAsync(new ExpireOperation(id), cancellationToken).ConfigureAwait(false) is not null)
                {
                    removed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ExpiryFailed(_logger, id, ex);
            }
        }

        return removed;
    }
}
