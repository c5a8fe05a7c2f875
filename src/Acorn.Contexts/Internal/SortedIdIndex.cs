using System.Numerics;
using System.Runtime.CompilerServices;

namespace Acorn.Contexts.Internal;

/// <summary>
/// The ids of the live contexts in ordinal order, read without a lock while they change: a skip list whose changes are
/// made one at a time under a short gate, with readers following its links freely.
/// </summary>
/// <remarks>
/// <para>
/// Finding a page costs O(log n) to reach its first id and one link per id after that, whatever the number of ids.
/// A change searches for its place without the gate, then takes the gate only to check that place is still right and to
/// relink a few nodes (about 1.3 on average): creates in different places never wait for each other's search.
/// </para>
/// <para>
/// <b>Readers.</b> A node is linked bottom-up (its own links first, then each level's predecessor), and unlinked
/// top-down with its own links left as they were, so a reader at any node, even one being removed, always follows a
/// chain of live ids in order. An id present for a whole walk is seen exactly once; one added or removed during the walk
/// is seen at most once.
/// </para>
/// <para>
/// The manager changes the index of one id only from that id's turn (or from the load, which owns ids no turn touched),
/// so an id is never added and removed at once; different ids change concurrently.
/// </para>
/// </remarks>
internal sealed class SortedIdIndex
{
    // With a quarter of the nodes on each next level, 16 levels keep searches logarithmic well past 4 billion ids.
    private const int MaxHeight = 16;

    private readonly Node _head = new(key: null, MaxHeight);

    // A Monitor rather than System.Threading.Lock, as the turn's gate: Coyote controls Monitor. Never held across a call out.
    private readonly object _gate = new();
    private int _count;

    /// <summary>How many ids the index holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds <paramref name="id"/>; returns <see langword="false"/> when it is already there.</summary>
    public bool Add(string id)
    {
        var path = default(Path);
        return Add(id, ref path, hinted: false);
    }

    /// <summary>
    /// Adds ids that come in ascending order (a load): each search starts where the one before it ended, instead of at
    /// the head, so adding n ids in order costs O(n) rather than O(n log n) cache misses.
    /// </summary>
    public void AddInOrder(IEnumerable<string> ids)
    {
        var path = default(Path);
        var hinted = false;
        foreach (var id in ids)
        {
            Add(id, ref path, hinted);
            hinted = true;
        }
    }

    /// <summary>Adds <paramref name="id"/>; with <paramref name="hinted"/>, <paramref name="path"/> holds the path of an id before it to search from.</summary>
    private bool Add(string id, ref Path path, bool hinted)
    {
        var height = RandomHeight();
        while (true)
        {
            if (Search(id, ref path, hinted) is not null)
            {
                return false;
            }

            lock (_gate)
            {
                if (!StillValid(ref path, height))
                {
                    continue;
                }

                var node = new Node(id, height);
                for (var level = 0; level < height; level++)
                {
                    node.SetNext(level, path.Successors[level]);
                }

                // Bottom-up: once level 0 links it, a reader can reach it, and it already leads on in order.
                for (var level = 0; level < height; level++)
                {
                    path.Predecessors[level]!.SetNext(level, node);
                    path.Predecessors[level] = node;
                }

                _count++;
                return true;
            }
        }
    }

    /// <summary>Removes <paramref name="id"/>; returns <see langword="false"/> when it is not there.</summary>
    public bool Remove(string id)
    {
        var path = default(Path);
        while (true)
        {
            if (Search(id, ref path, hinted: false) is not { } victim)
            {
                return false;
            }

            lock (_gate)
            {
                if (victim.Removed)
                {
                    return false;
                }

                if (!StillValid(ref path, victim.Height, victim))
                {
                    continue;
                }

                // Top-down, leaving the victim's own links: a reader standing on it still walks on to its successors.
                victim.Removed = true;
                for (var level = victim.Height - 1; level >= 0; level--)
                {
                    path.Predecessors[level]!.SetNext(level, victim.Next(level));
                }

                _count--;
                return true;
            }
        }
    }

    /// <summary>Returns whether the index holds <paramref name="id"/> now.</summary>
    public bool Contains(string id)
    {
        var path = default(Path);
        return Search(id, ref path, hinted: false) is not null;
    }

    /// <summary>The ids after <paramref name="after"/> (exclusive) that start with <paramref name="prefix"/>, in order.</summary>
    /// <param name="after">Where to start; <see langword="null"/> starts at the first id.</param>
    /// <param name="prefix">Only ids that start with it; <see langword="null"/> or empty: every id.</param>
    public IEnumerable<string> After(string? after, string? prefix)
    {
        prefix = string.IsNullOrEmpty(prefix) ? null : prefix;

        // The first id that can match: past `after`, and at or past the prefix (every id with a prefix sorts after it).
        var from = after;
        var inclusive = false;
        if (prefix is not null && (after is null || string.CompareOrdinal(after, prefix) < 0))
        {
            from = prefix;
            inclusive = true;
        }

        for (var node = First(from, inclusive); node is not null; node = node.Next(0))
        {
            if (prefix is not null && !node.Key!.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield break;
            }

            if (!node.Removed)
            {
                yield return node.Key!;
            }
        }
    }

    /// <summary>The first node whose id is after <paramref name="from"/> (or equal to it, with <paramref name="inclusive"/>).</summary>
    private Node? First(string? from, bool inclusive)
    {
        if (from is null)
        {
            return _head.Next(0);
        }

        var predecessor = _head;
        Node? current = null;
        for (var level = MaxHeight - 1; level >= 0; level--)
        {
            current = predecessor.Next(level);
            while (current is not null && IsBefore(current.Key!, from, inclusive))
            {
                predecessor = current;
                current = predecessor.Next(level);
            }
        }

        return current;
    }

    private static bool IsBefore(string key, string from, bool inclusive)
    {
        var order = string.CompareOrdinal(key, from);
        return order < 0 || (order == 0 && !inclusive);
    }

    /// <summary>Fills <paramref name="path"/> with the predecessor and successor of <paramref name="id"/> on every level; returns its node if present.</summary>
    /// <param name="id">The id to find the place of.</param>
    /// <param name="path">Filled in; with <paramref name="hinted"/>, it holds on entry the predecessors of an id before this one.</param>
    /// <param name="hinted">Start each level from the given predecessor when it is still linked and further along.</param>
    private Node? Search(string id, ref Path path, bool hinted)
    {
        Node? found = null;
        var predecessor = _head;
        for (var level = MaxHeight - 1; level >= 0; level--)
        {
            // A hint sorts before the id, so starting from it skips only nodes before the id. A removed one may have missed
            // nodes added after its removal: it is not used, and should the path still go stale, the gate's check finds out.
            if (hinted && path.Predecessors[level] is { Removed: false } hint && hint != _head
                && (predecessor == _head || string.CompareOrdinal(hint.Key, predecessor.Key) > 0)
                && string.CompareOrdinal(hint.Key, id) < 0)
            {
                predecessor = hint;
            }

            var current = predecessor.Next(level);
            var order = 1;
            while (current is not null && (order = string.CompareOrdinal(current.Key, id)) < 0)
            {
                predecessor = current;
                current = predecessor.Next(level);
            }

            if (order == 0 && current is not null && !current.Removed)
            {
                found = current;
            }

            path.Predecessors[level] = predecessor;
            path.Successors[level] = current;
        }

        return found;
    }

    /// <summary>Under the gate: whether the path found without it still joins the right nodes on the levels a change touches.</summary>
    private static bool StillValid(ref Path path, int height, Node? victim = null)
    {
        for (var level = 0; level < height; level++)
        {
            var predecessor = path.Predecessors[level]!;
            var expected = victim ?? path.Successors[level];
            if (predecessor.Removed || !ReferenceEquals(predecessor.Next(level), expected))
            {
                return false;
            }
        }

        return true;
    }

    private static int RandomHeight()
    {
        // Two random bits per level: each level holds a quarter of the nodes of the one below.
        var bits = (uint)Random.Shared.Next() | (1u << ((2 * (MaxHeight - 1)) - 1));
        return Math.Min(MaxHeight, 1 + (BitOperations.TrailingZeroCount(bits) / 2));
    }

    /// <summary>One id's node: its level-0 link inline (three nodes in four have no other), higher levels in an array.</summary>
    private sealed class Node
    {
        private Node? _next;
        private readonly Node?[]? _upper;

        public Node(string? key, int height)
        {
            Key = key;
            _upper = height > 1 ? new Node?[height - 1] : null;
        }

        /// <summary>The id; <see langword="null"/> only for the head, which sorts before every id.</summary>
        public string? Key { get; }

        public int Height => 1 + (_upper?.Length ?? 0);

        /// <summary>Set under the gate when the node is unlinked; a search never returns it again.</summary>
        public bool Removed
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        }

        public Node? Next(int level) => level == 0 ? Volatile.Read(ref _next) : Volatile.Read(ref _upper![level - 1]);

        public void SetNext(int level, Node? node)
        {
            if (level == 0)
            {
                Volatile.Write(ref _next, node);
            }
            else
            {
                Volatile.Write(ref _upper![level - 1], node);
            }
        }
    }

    /// <summary>A search's predecessors and successors on every level, on the stack.</summary>
    private struct Path
    {
        public Nodes Predecessors;
        public Nodes Successors;
    }

    [InlineArray(MaxHeight)]
    private struct Nodes
    {
        private Node? _element;
    }
}
