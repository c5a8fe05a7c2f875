using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// The core's context contract, unchanged, on a 2-silo cluster with PostgreSQL storage. Each test runs in a scope of
/// its own, so tests share one cluster without seeing each other's contexts; reopening is a new manager on that scope.
/// </summary>
public sealed class OrleansContextManagerTests(ContractCluster fixture) : ContextManagerContractTests, IClassFixture<ContractCluster>
{
    private readonly string _scope = $"t{Guid.NewGuid():N}";

    /// <summary>Fewer increments than in memory: every successful compare-and-set is a PostgreSQL commit.</summary>
    protected override int IncrementsPerTask => 5;

    /// <inheritdoc/>
    protected override int RaceRounds => 20;

    /// <summary>The silos' clock, so that advancing it expires contexts on the cluster.</summary>
    protected override FakeTimeProvider Time => fixture.Time;

    /// <inheritdoc/>
    protected override Task<IContextManager> NewManagerAsync(ContextOptions? options = null) =>
        Task.FromResult<IContextManager>(new OrleansContextManager(fixture.Cluster.Client, options, Time, _scope));

    /// <inheritdoc/>
    protected override Task<IContextManager> ReopenAsync(ContextOptions? options = null) => NewManagerAsync(options);
}
