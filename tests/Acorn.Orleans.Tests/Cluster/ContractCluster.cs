using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// The PostgreSQL cluster for the shared context contract: its silos run on one fake clock that the tests advance,
/// enforce content limits above any a test configures (each manager checks its own), and do not sweep on their own.
/// </summary>
public sealed class ContractCluster : PostgresCluster
{
    /// <summary>The silos' clock.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Orleans' default: no silo stops here, and a 10 MB create under a loaded CI machine takes more than 10 s.</summary>
    protected override TimeSpan ResponseTimeout => TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        silo.Services.Configure<ContextOptions>(o =>
        {
            o.MaxDataBytes = 16 * 1024 * 1024;

            // The contract's expiry test sweeps by hand and counts what its sweep removed.
            o.ExpirySweepInterval = TimeSpan.Zero;
        });
    }
}
