using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite context store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>Makes a <see cref="SqliteContextStore"/> the <see cref="IContextStore"/>, replacing any other store.</summary>
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

        services.Replace(ServiceDescriptor.Singleton<IContextStore>(sp => new SqliteContextStore(
            sp.GetRequiredService<IOptions<SqliteContextStoreOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteContextStore>>())));
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
