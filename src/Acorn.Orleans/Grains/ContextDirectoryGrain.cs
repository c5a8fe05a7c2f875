using Acorn.Contexts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Acorn.Orleans.Grains;

/// <summary>
/// The grain behind <see cref="IContextDirectoryGrain"/>: the scope's ids in memory, sorted, rebuilt at activation from
/// <see cref="AcornOrleans.DirectoryPartitions"/> persisted partitions, each written only for the ids it holds.
/// </summary>
/// <remarks>
/// <para>
/// Reentrant so that creates in different contexts persist their partitions concurrently. That is safe because every
/// check-and-change of the in-memory set happens before the first await, and calls for one id never overlap (they come
/// from that id's context grain, one turn at a time).
/// </para>
/// <para>
/// While active, it sweeps its expired contexts every <see cref="ContextOptions.ExpirySweepInterval"/> of the silo's
/// options (zero: never) on a grain timer: each due context's grain deletes itself through the normal write path, so the
/// change reaches the change stream. Managers' <c>RemoveExpiredAsync</c> does the same on demand.
/// </para>
/// </remarks>
/// <param name="options">The silo's options: <see cref="ContextOptions.ExpirySweepInterval"/>.</param>
/// <param name="time">The clock expiries are compared with.</param>
/// <param name="logger">Logs sweeps that failed for a context.</param>
[Reentrant]
public sealed partial class ContextDirectoryGrain(IOptions<ContextOptions> options, TimeProvider time, ILogger<ContextDirectoryGrain> logger)
    : Grain, IContextDirectoryGrain
{
    // Ids use only ASCII letters, digits and ".-_:", all ordinally below '~'.
    private const string AboveEveryId = "~";
    private readonly SortedSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset?> _expiries = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var loads = Enumerable.Range(0, AcornOrleans.DirectoryPartitions).Select(p => Partition(p).GetAllAsync());
        foreach (var partition in await Task.WhenAll(loads))
        {
            foreach (var (id, expiresAt) in partition)
            {
                _ids.Add(id);
                _expiries[id] = expiresAt;
            }
        }

        var interval = options.Value.ExpirySweepInterval;
        if (interval > TimeSpan.Zero)
        {
            this.RegisterGrainTimer(SweepAsync, interval, interval);
        }
    }

    async Task<bool> IContextDirectoryGrain.TryAddAsync(string id, DateTimeOffset? expiresAt, int maxContexts)
    {
        var known = _expiries.TryGetValue(id, out var previous);
        if (!known && _ids.Count >= maxContexts)
        {
            return false;
        }

        _ids.Add(id);
        _expiries[id] = expiresAt;
        try
        {
            await PartitionOf(id).SetAsync(id, expiresAt);
        }
        catch
        {
            // Not known to be persisted: undo in memory so the limit stays exact (storage may keep a stale entry,
            // which listing cleans up).
            if (known)
            {
                _expiries[id] = previous;
            }
            else
            {
                _ids.Remove(id);
                _expiries.Remove(id);
            }

            throw;
        }

        return true;
    }

    async Task IContextDirectoryGrain.RemoveAsync(string id)
    {
        _ids.Remove(id);
        _expiries.Remove(id);
        await PartitionOf(id).RemoveAsync(id);
    }

    Task<int> IContextDirectoryGrain.CountAsync() => Task.FromResult(_ids.Count);

    Task<IReadOnlyList<string>> IContextDirectoryGrain.PageAsync(string? after, int limit)
    {
        var view = after is null ? _ids : _ids.GetViewBetween(after, AboveEveryId);
        IReadOnlyList<string> page = [.. view.Where(id => after is null || string.CompareOrdinal(id, after) > 0).Take(limit)];
        return Task.FromResult(page);
    }

    Task<IReadOnlyList<string>> IContextDirectoryGrain.ExpiredAsync(DateTimeOffset now)
    {
        IReadOnlyList<string> due = [.. _expiries.Where(e => e.Value <= now).Select(e => e.Key)];
        return Task.FromResult(due);
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var scope = AcornOrleans.ScopeOfDirectory(this.GetPrimaryKeyString());
        var now = time.GetUtcNow();
        foreach (var id in _expiries.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await GrainFactory.GetGrain<IContextGrain>(AcornOrleans.ContextKey(scope, id)).ExpireAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One context's storage failure must not stop the sweep; the next one tries it again.
                LogSweepFailed(logger, id, ex);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The expiry sweep could not remove context {ContextId}; the next sweep tries again.")]
    private static partial void LogSweepFailed(ILogger logger, string contextId, Exception exception);

    private IContextDirectoryPartitionGrain PartitionOf(string id) => Partition((int)(StableHash(id) % AcornOrleans.DirectoryPartitions));

    // FNV-1a: string.GetHashCode is randomized per process, and an id must map to the same partition on every silo.
    private static uint StableHash(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private IContextDirectoryPartitionGrain Partition(int index) =>
        GrainFactory.GetGrain<IContextDirectoryPartitionGrain>($"{this.GetPrimaryKeyString()}#{index}");
}
