using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>The plugin state contract over <see cref="InMemoryPluginStateStore"/>.</summary>
public sealed class InMemoryPluginStateStoreTests : PluginStateStoreContractTests
{
    protected override ValueTask<IPluginStateStore> OpenAsync() => ValueTask.FromResult<IPluginStateStore>(new InMemoryPluginStateStore(Time));
}
