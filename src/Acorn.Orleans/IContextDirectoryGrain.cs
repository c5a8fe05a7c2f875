namespace Acorn.Orleans;

/// <summary>
/// The ids of one scope's contexts, in order, with their expiry: what listing, counting, the context limit and the
/// expiry sweep need, since no grain can see the others. The key is the scope.
/// </summary>
/// <remarks>
/// Context grains keep it up to date from inside their own turn, so the entries of one id change in that context's
/// write order. It may hold an id whose create failed after the id was added (a superset, never a subset): listing
/// skips such ids and asks their grain to remove them (<see cref="IContextGrain.ForgetIfAbsentAsync"/>).
/// </remarks>
public interface IContextDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Adds an id (or updates its expiry) unless the scope already holds <paramref name="maxContexts"/> other ids.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expiresAt">When the context expires, if ever.</param>
    /// <param name="maxContexts">The scope's limit.</param>
    /// <returns><see langword="true"/> when the id is in the directory; <see langword="false"/> at the limit.</returns>
    Task<bool> TryAddAsync(string id, DateTimeOffset? expiresAt, int maxContexts);

    /// <summary>Removes an id.</summary>
    /// <param name="id">The context id.</param>
    /// <returns>A task that completes when the removal is persisted.</returns>
    Task RemoveAsync(string id);

    /// <summary>Counts the ids.</summary>
    /// <returns>The count.</returns>
    Task<int> CountAsync();

    /// <summary>Returns up to <paramref name="limit"/> ids after <paramref name="after"/>, in ordinal order.</summary>
    /// <param name="after">Only ids after this one; <see langword="null"/> starts at the first.</param>
    /// <param name="limit">The most ids to return.</param>
    /// <returns>The ids.</returns>
    Task<IReadOnlyList<string>> PageAsync(string? after, int limit);

    /// <summary>Returns the ids whose expiry is at or before <paramref name="now"/>.</summary>
    /// <param name="now">The time to compare with.</param>
    /// <returns>The ids.</returns>
    Task<IReadOnlyList<string>> ExpiredAsync(DateTimeOffset now);
}
