using Acorn.Orleans;
using Acorn.Orleans.Clustering;
using Acorn.Server.Health;

namespace Acorn.Server.Storage;

/// <summary>Registers the context store <c>Acorn:Store</c> names: SQLite in the data folder, or an Orleans cluster.</summary>
internal static class ContextStoreSelection
{
    /// <summary>The configuration key, set on the command line with <c>--store</c>.</summary>
    public const string ConfigurationKey = "Acorn:Store";

    /// <summary>Reads <c>Acorn:Store</c>; unset means <see cref="ContextStoreKind.Sqlite"/>.</summary>
    /// <exception cref="InvalidOperationException">The value names no store.</exception>
    public static ContextStoreKind Read(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return ContextStoreKind.Sqlite;
        }

        return Enum.TryParse<ContextStoreKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidOperationException($"{ConfigurationKey} (--store) is '{value}': use sqlite or orleans.");
    }

    /// <summary>
    /// Registers the contexts' store. Call before <c>AddAcorn</c>: with Orleans, the cluster client's hosted service
    /// must connect before the context services that start after it use the cluster.
    /// </summary>
    /// <returns>A description of where contexts live, for the start-up log line.</returns>
    public static string AddContextStore(WebApplicationBuilder builder, ServerPaths paths)
    {
        var services = builder.Services;
        if (Read(builder.Configuration) == ContextStoreKind.Sqlite)
        {
            // One file holds the contexts and the plugins' state.
            services.AddAcornSqlite(o => o.Path = paths.Database);
            services.AddOptions<Acorn.Contexts.Sqlite.SqliteContextStoreOptions>().Bind(builder.Configuration.GetSection("Acorn:Sqlite"));
            services.AddHealthChecks().AddCheck<ContextLoadHealthCheck>("contexts", tags: [HealthResponse.Ready]);
            return paths.Database;
        }

        var cluster = builder.Configuration.GetSection(AcornClusterOptions.SectionName).Get<AcornClusterOptions>() ?? new AcornClusterOptions();
        builder.UseOrleansClient(client => client
            .UseAcornClustering(cluster)
            .UseConnectionRetryFilter(new BoundedConnectionRetry(cluster))

            // Other servers' writes (and expiry on the silos) reach this one's change feed through this stream provider.
            .AddMemoryStreams(AcornOrleans.StreamProviderName));

        // Contexts and plugin state both on the cluster: no SQLite file is opened.
        services.AddAcornOrleansContexts();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthResponse.Ready]);
        return $"the Orleans {cluster.Describe()}";
    }
}
