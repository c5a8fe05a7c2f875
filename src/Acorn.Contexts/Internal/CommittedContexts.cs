using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Acorn.Contexts.Internal;

/// <summary>
/// The committed state of every live context, read without locks. An entry is the state itself, or, while the
/// context's turn lives and has updated it, that turn's <see cref="CommittedCell"/>: a hot context's updates then replace
/// the state in the cell instead of taking one of the dictionary's locks to rewrite the entry, and contexts nobody is
/// writing cost no more than their state.
/// </summary>
/// <remarks>
/// Every change to one id comes from one writer at a time (the load before any write resolved the id, then the id's
/// turn under its gate); reads run concurrently with them.
/// </remarks>
internal sealed class CommittedContexts
{
    // ContextState or CommittedCell: a sealed type check tells them apart, and cold contexts need no cell.
    private readonly ConcurrentDictionary<string, object> _entries = new(StringComparer.Ordinal);

    public bool ContainsKey(string id) => _entries.ContainsKey(id);

    public bool TryGetValue(string id, [NotNullWhen(true)] out ContextState? state)
    {
        if (_entries.TryGetValue(id, out var entry))
        {
            state = entry as ContextState ?? ((CommittedCell)entry).State;
            return true;
        }

        state = null;
        return false;
    }

    /// <summary>Makes <paramref name="state"/> the committed state of its id, through <paramref name="cell"/> when one is given.</summary>
    /// <param name="state">The new committed state.</param>
    /// <param name="cell">The cell of the id's turn, once it has one; <see langword="null"/> for a plain entry (the load).</param>
    public void Set(ContextState state, CommittedCell? cell)
    {
        if (cell is null)
        {
            _entries[state.Id] = state;
            return;
        }

        cell.State = state;
        if (!cell.IsAttached)
        {
            // From now on the turn's writes only replace the cell's state, until a delete or its retirement detaches it.
            _entries[state.Id] = cell;
            cell.MarkAttached();
        }
    }

    /// <summary>Forgets the committed state of <paramref name="id"/>.</summary>
    public void Remove(string id, CommittedCell? cell)
    {
        _entries.TryRemove(id, out _);
        cell?.MarkDetached();
    }

    /// <summary>Puts the plain state back in place of <paramref name="cell"/>, when the turn that owns it retires.</summary>
    public void Release(string id, CommittedCell cell)
    {
        if (cell.IsAttached)
        {
            _entries.TryUpdate(id, cell.State, cell);
            cell.MarkDetached();
        }
    }
}
