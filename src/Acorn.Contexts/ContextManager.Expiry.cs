namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>
    /// Deletes every expired context through the normal write path, publishing an <see cref="ContextChangeKind.Expired"/>
    /// change for each.
    /// </summary>
    /// <param name="cancellationToken">Stops the sweep between contexts.</param>
    /// <returns>How many contexts this sweep removed.</returns>
    /// <exception cref="ContextStoreException">The store failed; contexts removed before the failure stay removed.</exception>
    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var candidate in _contexts.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (candidate.IsExpiredAt(now)
                && await WithContextLockAsync(candidate.Id, 0, ExpireLockedAsync, cancellationToken, removeIfExpired: false).ConfigureAwait(false))
            {
                removed++;
            }
        }

        if (removed > 0)
        {
            Log.ExpiredRemoved(_logger, removed);
        }

        return removed;
    }

    private ValueTask<bool> ExpireLockedAsync(ContextState? current, int unused, string id, CancellationToken cancellationToken) =>
        current is null ? ValueTask.FromResult(false) : ExpireIfDueLockedAsync(current, cancellationToken);
}
