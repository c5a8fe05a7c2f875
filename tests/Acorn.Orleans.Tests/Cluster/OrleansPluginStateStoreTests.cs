using Acorn.Contexts;
using Acorn.Contexts.Testing;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The plugin state contract on the 2-silo PostgreSQL cluster; each test in a scope of its own.</summary>
public sealed class OrleansPluginStateStoreTests(PostgresCluster fixture) : PluginStateStoreContractTests, IClassFixture<PostgresCluster>
{
    private readonly string _scope = $"p{Guid.NewGuid():N}";

    /// <inheritdoc/>
    protected override ValueTask<IPluginStateStore> OpenAsync() =>
        ValueTask.FromResult<IPluginStateStore>(new OrleansPluginStateStore(fixture.Cluster.Client, Time, _scope));
}
