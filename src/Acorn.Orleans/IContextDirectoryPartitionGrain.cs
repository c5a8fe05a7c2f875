namespace Acorn.Orleans;

/// <summary>One persisted part of a scope's context directory (key: <c>{scope}#{index}</c>); only the directory grain calls it.</summary>
public interface IContextDirectoryPartitionGrain : IGrainWithStringKey
{
    /// <summary>Returns every id in this part with its expiry.</summary>
    /// <returns>The entries.</returns>
    Task<IReadOnlyDictionary<string, DateTimeOffset?>> GetAllAsync();

    /// <summary>Adds an id or changes its expiry, and persists the part.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="expiresAt">When the context expires, if ever.</param>
    /// <returns>A task that completes once persisted.</returns>
    Task SetAsync(string id, DateTimeOffset? expiresAt);

    /// <summary>Removes an id and persists the part.</summary>
    /// <param name="id">The context id.</param>
    /// <returns>A task that completes once persisted.</returns>
    Task RemoveAsync(string id);
}
