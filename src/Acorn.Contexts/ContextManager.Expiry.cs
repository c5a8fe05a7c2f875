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
    /// <remarks>
    /// The expiry index gives the due contexts, earliest first, without looking at the others: the sweeper and a create
    /// that finds the cap reached use this one index.
    /// </remarks>
    private async ValueTask<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var id in _expiries.Due(now.UtcTicks))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (!_loaded)
                {
                    // A write during the load marks its id, like every other write (the load never installs it again).
                    await ResolveAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);
                }

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
