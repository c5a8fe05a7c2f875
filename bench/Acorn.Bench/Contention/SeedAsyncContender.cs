using Acorn.Contexts;
using Acorn.Threading;

namespace Acorn.Bench.Contention;

/// <summary>
/// The original's "after": one global async reader-writer lock over the whole map, check-then-write in separate lock
/// scopes, and persistence after releasing the lock (so the store can receive a context's writes out of order, and
/// read-modify-write loses updates). Exists only to be measured.
/// </summary>
internal sealed class SeedAsyncContender(IContextStore store) : IContender
{
    private readonly AsyncRwLock<Dictionary<string, ContextState>> _lock = new(new Dictionary<string, ContextState>(StringComparer.Ordinal));
    private long _refused;

    public string Name => "seed async";

    /// <summary>
    /// Writes the store refused as stale so far. Once one persist overtakes another, every later write of that context
    /// expects a version the store never got, so from then on the store refuses them all: a refusal commits nothing.
    /// </summary>
    public long Refused => Interlocked.Read(ref _refused);

    public async ValueTask CreateAsync(string id)
    {
        var state = Counter.State(id, 1, 0);
        using (var write = await _lock.WriteLockAsync())
        {
            write.Value[id] = state;
        }

        await PersistAsync(state);
    }

    public async ValueTask IncrementAsync(string id)
    {
        ContextState current;
        using (var read = await _lock.ReadLockAsync())
        {
            current = read.Value[id];
        }

        ContextState next;
        using (var write = await _lock.WriteLockAsync())
        {
            var stored = write.Value[id];
            next = Counter.State(id, stored.Version + 1, Counter.Of(current) + 1);
            write.Value[id] = next;
        }

        await PersistAsync(next);
    }

    public async ValueTask<long> ReadAsync(string id)
    {
        using var read = await _lock.ReadLockAsync();
        return Counter.Of(read.Value[id]);
    }

    private async Task PersistAsync(ContextState state)
    {
        try
        {
            await store.WriteAsync(new PutContextWrite(state), CancellationToken.None);
        }
        catch (ContextVersionConflictException)
        {
            // Persisting after the lock lets writes overtake each other; the store's version check rejects the
            // stragglers, which is exactly the divergence between memory and store that the design invites.
            Interlocked.Increment(ref _refused);
        }
    }
}
