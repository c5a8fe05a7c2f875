namespace Acorn.Contexts.Internal;

/// <summary>
/// A hot context's committed state in <see cref="CommittedContexts"/>, owned by the context's turn: its updates replace
/// <see cref="State"/>, which readers load without a lock.
/// </summary>
internal sealed class CommittedCell
{
    private volatile ContextState _state = null!;

    /// <summary>The committed state; set before the cell is first attached, and changed only by its turn.</summary>
    public ContextState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>Whether the map holds this cell as its context's entry (the turn's gate guards it).</summary>
    public bool IsAttached { get; private set; }

    public void MarkAttached() => IsAttached = true;

    public void MarkDetached() => IsAttached = false;
}
