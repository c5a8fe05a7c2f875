namespace Acorn.Contexts;

/// <summary>Stores a context state: a create (expected version 0), an update or a restore.</summary>
public sealed class PutContextWrite : ContextWrite
{
    /// <summary>Initializes the write; the expected version is <c>State.Version - 1</c>.</summary>
    /// <param name="state">The new state.</param>
    public PutContextWrite(ContextState state)
        : base(state.Id, state.Version - 1)
    {
        State = state;
    }

    /// <summary>The state to store.</summary>
    public ContextState State { get; }
}
