using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite context store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Makes one <see cref="SqliteContextStore"/> the <see cref="IContextStore"/> and the <see cref="IPluginStateStore"/>,
    /// replacing any other store of either kind, so that contexts and plugin state live in one database file.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the file path and durability.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    public static IServiceCollection AddAcornSqlite(this IServiceCollection services, Action<SqliteContextStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SqliteContextStoreOptions>()
            .Validate(o => IsValid(o), "SqliteContextStoreOptions are invalid: a positive MaxBatchSize and WriteQueueCapacity, a non-negative BusyTimeout and a Path are required.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new SqliteContextStore(
            sp.GetRequiredService<IOptions<SqliteContextStoreOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteContextStore>>(),
            sp.GetService<TimeProvider>()));

        // One store object behind both contracts: plugin state shares the file and the writer with the contexts.
        // Registering the plugin state store costs nothing when no plugins are used: nobody resolves it.
        services.Replace(ServiceDescriptor.Singleton<IContextStore>(sp => sp.GetRequiredService<SqliteContextStore>()));
        services.Replace(ServiceDescriptor.Singleton<IPluginStateStore>(sp => sp.GetRequiredService<SqliteContextStore>()));
        return services;
    }

    private static bool IsValid(SqliteContextStoreOptions options)
    {
        try
        {
            options.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
