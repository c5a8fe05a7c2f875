using System.Runtime.InteropServices;

namespace Acorn.Threading.Internal;

/// <summary>One slice of a keyed lock's map; keys hash to stripes so different keys rarely share a lock.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class KeyedStripe<TKey>
    where TKey : notnull
{
    internal const string Kind = "keyed";

    // A burst of distinct keys grows the map; shrink it once the burst is over, not on every idle moment.
    private const int TrimAboveCapacity = 1024;
    private const int FreeEntries = 8;

    // A monitor rather than System.Threading.Lock, for Coyote; see WaitOwner.Sync.
    private readonly object _sync = new();
    private readonly Dictionary<TKey, KeyedEntry<TKey>> _entries;
    private readonly string? _name;
    private readonly TimeProvider? _timeProvider;
    private KeyedEntry<TKey>? _free;
    private int _freeCount;
    private int _count;

    internal KeyedStripe(IEqualityComparer<TKey> comparer, string? name, TimeProvider? timeProvider)
    {
        _entries = new Dictionary<TKey, KeyedEntry<TKey>>(comparer);
        _name = name;
        _timeProvider = timeProvider;
    }

    internal int Count => Volatile.Read(ref _count);

    /// <summary>Finds or creates the entry of <paramref name="key"/> and counts the caller in.</summary>
    internal KeyedEntry<TKey> Join(TKey key)
    {
        lock (_sync)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var exists);
            if (!exists)
            {
                entry = RentLocked();
                entry.Key = key;
                _count = _entries.Count;
            }

            entry!.Participants++;
            return entry;
        }
    }

    /// <summary>Counts a caller out; the last one removes the entry from the map.</summary>
    internal void Leave(KeyedEntry<TKey> entry)
    {
        lock (_sync)
        {
            if (--entry.Participants != 0)
            {
                return;
            }

            _entries.Remove(entry.Key);
            _count = _entries.Count;
            entry.Key = default!;
            if (_freeCount < FreeEntries)
            {
                entry.NextFree = _free;
                _free = entry;
                _freeCount++;
            }

            if (_entries.Count == 0 && _entries.EnsureCapacity(0) > TrimAboveCapacity)
            {
                _entries.TrimExcess();
            }
        }
    }

    private KeyedEntry<TKey> RentLocked()
    {
        var entry = _free;
        if (entry is null)
        {
            return new KeyedEntry<TKey>(this, _name, _timeProvider);
        }

        _free = entry.NextFree;
        entry.NextFree = null;
        _freeCount--;
        return entry;
    }
}
