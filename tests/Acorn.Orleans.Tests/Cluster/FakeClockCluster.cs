using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>A PostgreSQL cluster whose silos run on one fake clock that the tests advance, with context options of its own.</summary>
public abstract class FakeClockCluster : PostgresCluster
{
    /// <summary>The silos' clock, which decides timestamps and what has expired.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <inheritdoc/>
    protected sealed override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        silo.Services.Configure<ContextOptions>(ConfigureContexts);
    }

    /// <summary>Sets the silos' <see cref="ContextOptions"/>.</summary>
    protected abstract void ConfigureContexts(ContextOptions options);
}
