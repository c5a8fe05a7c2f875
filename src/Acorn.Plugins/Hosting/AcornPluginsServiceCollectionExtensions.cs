using Acorn.Contexts;
using Acorn.Plugins.Hosting;
using Acorn.Plugins.Management;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Acorn's plugin runtime in a service collection.</summary>
public static class AcornPluginsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="PluginManager"/> and a hosted service that discovers the plugins under
    /// <see cref="PluginManagerOptions.Roots"/> and loads them at start, then unloads them, dependents first, at stop.
    /// Plugins reach the <see cref="ContextManager"/> when one is registered (for example by <c>AddAcorn</c>). Their state
    /// goes to the registered <see cref="IPluginStateStore"/> (<c>AddAcornSqlite</c> registers the database file, before or
    /// after this call), or to an <see cref="InMemoryPluginStateStore"/> when there is none.
    /// </summary>
    /// <remarks>
    /// The options are read first from the host's configuration section <see cref="PluginManagerOptions.ConfigurationSection"/>
    /// (roots, grants, each plugin's configuration and trusted hashes), then from <paramref name="configure"/>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the <see cref="PluginManagerOptions"/>.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    public static IServiceCollection AddAcornPlugins(this IServiceCollection services, Action<PluginManagerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PluginManagerOptions>();

        // Registered before the callback below, so that code overrides configuration.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PluginManagerOptions>, PluginManagerOptionsFromConfiguration>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<IPluginStateStore>(sp => new InMemoryPluginStateStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new PluginManager(
            sp.GetRequiredService<IOptions<PluginManagerOptions>>().Value,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetService<IContextManager>(),
            sp.GetRequiredService<IPluginStateStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PluginHostedService>());
        return services;
    }
}
