namespace Acorn.Contexts.Testing;

/// <summary>A <see cref="ContextTestBase"/> over one <see cref="InMemoryContextStore"/> (reopening keeps it).</summary>
public abstract class InMemoryContextTestBase : ContextTestBase
{
    private readonly InMemoryContextStore _store = new();

    protected override ValueTask<IContextStore> OpenStoreAsync() => ValueTask.FromResult<IContextStore>(_store);
}
