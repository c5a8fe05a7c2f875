using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The PostgreSQL cluster on a fake clock whose directories sweep expired contexts every 100 ms of real time.</summary>
public sealed class SweepingCluster : PostgresCluster
{
    /// <summary>The silos' clock, which decides what has expired.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <inheritdoc/>
    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        silo.Services.Configure<ContextOptions>(o => o.ExpirySweepInterval = TimeSpan.FromMilliseconds(100));
    }
}
