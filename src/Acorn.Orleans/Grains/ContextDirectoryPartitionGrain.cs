namespace Acorn.Orleans.Grains;

/// <summary>The grain behind <see cref="IContextDirectoryPartitionGrain"/>: a persisted map of ids to expiries.</summary>
/// <param name="entries">The persisted entries.</param>
public sealed class ContextDirectoryPartitionGrain(
    [PersistentState("directory", AcornOrleans.StorageName)] IPersistentState<ContextDirectoryPartition> entries)
    : Grain, IContextDirectoryPartitionGrain
{
    Task<IReadOnlyDictionary<string, DateTimeOffset?>> IContextDirectoryPartitionGrain.GetAllAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset?>>(entries.State.Entries);

    Task IContextDirectoryPartitionGrain.SetAsync(string id, DateTimeOffset? expiresAt) =>
        WriteAsync(map => map[id] = expiresAt);

    Task IContextDirectoryPartitionGrain.RemoveAsync(string id) =>
        entries.State.Entries.ContainsKey(id) ? WriteAsync(map => map.Remove(id)) : Task.CompletedTask;

    private async Task WriteAsync(Action<Dictionary<string, DateTimeOffset?>> change)
    {
        // A copy, changed and written: on failure the state in memory stays what storage last acknowledged.
        var next = new Dictionary<string, DateTimeOffset?>(entries.State.Entries, StringComparer.Ordinal);
        change(next);
        var previous = entries.State.Entries;
        entries.State.Entries = next;
        try
        {
            await entries.WriteStateAsync();
        }
        catch
        {
            entries.State.Entries = previous;
            DeactivateOnIdle();
            throw;
        }
    }
}

/// <summary>The persisted state of a directory partition.</summary>
[GenerateSerializer]
public sealed class ContextDirectoryPartition
{
    /// <summary>The ids in this partition and when each expires (<see langword="null"/>: never).</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset?> Entries { get; set; } = new(StringComparer.Ordinal);
}
