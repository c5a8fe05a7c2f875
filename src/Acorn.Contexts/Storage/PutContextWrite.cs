namespace Acorn.Contexts;

/// <summary>Stores a context state: a create (expected version 0), an update or a restore.</summary>
public class PutContextWrite : ContextWrite
{
    /// <summary>Initializes an update: the expected version is <c>State.Version - 1</c>.</summary>
    /// <param name="state">The new state.</param>
    public PutContextWrite(ContextState state)
        : this(state, state.Version - 1)
    {
    }

    /// <summary>Initializes a write that expects the stored version to be <paramref name="expectedVersion"/>.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="expectedVersion">
    /// 0 for a create (the context must not exist; its first version is above every version a delete ever removed, so
    /// it is not always 1), otherwise <c>State.Version - 1</c>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is neither 0 nor <c>State.Version - 1</c>.</exception>
    public PutContextWrite(ContextState state, long expectedVersion)
        : base(NotNull(state).Id, expectedVersion)
    {
        if (expectedVersion != 0 && expectedVersion != state.Version - 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(expectedVersion), expectedVersion, $"A put of version {state.Version} expects 0 (a create) or {state.Version - 1}.");
        }

        State = state;
    }

    /// <summary>The state to store.</summary>
    public ContextState State { get; }

    /// <summary>Whether the write creates the context (it expects none to exist).</summary>
    public bool IsCreate => ExpectedVersion == 0;

    private static ContextState NotNull(ContextState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state;
    }
}
