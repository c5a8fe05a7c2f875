using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>The context contract over <see cref="InMemoryContextStore"/>; "reopening" keeps the same store instance.</summary>
public sealed class InMemoryContextManagerTests : ContextStoreContractTests
{
    private readonly InMemoryContextStore _store = new();

    protected override ValueTask<IContextStore> OpenStoreAsync() => ValueTask.FromResult<IContextStore>(_store);
}
