namespace Acorn.Contexts.Internal;

/// <summary>The contexts that expire, ordered by when: a sweep finds the due ones without looking at the others.</summary>
/// <remarks>
/// One entry per context with an expiry, changed only when a committed write changes the expiry (creates with a time
/// to live, updates that set one, deletes), under a short gate; contexts that never expire cost nothing here.
/// </remarks>
internal sealed class ExpiryIndex
{
    // A Monitor rather than System.Threading.Lock, as the turn's gate: Coyote controls Monitor. Never held across a call out.
    private readonly object _gate = new();
    private readonly SortedSet<(long Ticks, string Id)> _entries = new(EntryOrder.Instance);

    /// <summary>How many contexts have an expiry.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Records that <paramref name="id"/>'s expiry changed from <paramref name="before"/> to <paramref name="after"/> (<see cref="long.MaxValue"/>: none).</summary>
    public void Move(string id, long before, long after)
    {
        if (before == after)
        {
            return;
        }

        lock (_gate)
        {
            if (before != long.MaxValue)
            {
                _entries.Remove((before, id));
            }

            if (after != long.MaxValue)
            {
                _entries.Add((after, id));
            }
        }
    }

    /// <summary>The ids due at <paramref name="nowTicks"/> (UTC ticks), earliest first: a copy, so a sweep can write while it walks them.</summary>
    public List<string> Due(long nowTicks)
    {
        lock (_gate)
        {
            var due = new List<string>();
            foreach (var (ticks, id) in _entries)
            {
                if (ticks > nowTicks)
                {
                    break;
                }

                due.Add(id);
            }

            return due;
        }
    }

    /// <summary>Orders by time, then by id (ordinal), so two contexts expiring at the same tick are two entries.</summary>
    private sealed class EntryOrder : IComparer<(long Ticks, string Id)>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare((long Ticks, string Id) x, (long Ticks, string Id) y)
        {
            var order = x.Ticks.CompareTo(y.Ticks);
            return order != 0 ? order : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
