using Acorn.Orleans.Clustering;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Acorn.Orleans.Silo;

/// <summary>Registers the grain storage providers Acorn's silos need.</summary>
public static class SiloStorageExtensions
{
    /// <summary>The storage provider Orleans' stream pub/sub keeps its subscriptions in.</summary>
    public const string PubSubStorageName = "PubSubStore";

    /// <summary>
    /// Registers <see cref="AcornOrleans.StorageName"/> (the contexts) and <see cref="PubSubStorageName"/> (stream
    /// subscriptions) in the chosen storage, with the connection string of <paramref name="cluster"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="kind">Where state goes.</param>
    /// <param name="cluster">Supplies the PostgreSQL or Redis connection string.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    public static ISiloBuilder AddAcornGrainStorage(this ISiloBuilder builder, GrainStorageKind kind, AcornClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);

        // Subscriptions live with the contexts: a silo that stops takes neither with it.
        foreach (var name in new[] { AcornOrleans.StorageName, PubSubStorageName })
        {
            _ = kind switch
            {
                GrainStorageKind.Postgres => builder.AddAdoNetGrainStorage(name, o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = Required(cluster.Postgres, "Postgres");
                }),
                GrainStorageKind.Redis => builder.AddRedisGrainStorage(name, o =>
                    o.ConfigurationOptions = ConfigurationOptions.Parse(Required(cluster.Redis, "Redis"))),
                GrainStorageKind.Memory => builder.AddMemoryGrainStorage(name),
                _ => throw new InvalidOperationException($"Unknown grain storage {kind}."),
            };
        }

        return builder;
    }

    private static string Required(string? value, string key) => string.IsNullOrWhiteSpace(value)
        ? throw new InvalidOperationException($"{AcornClusterOptions.SectionName}:{key} (the storage's connection string) is not set.")
        : value;
}
