using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Acorn's context system in a service collection.</summary>
public static class AcornServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="ContextManager"/> (as <see cref="IContextManager"/> too), the <see cref="ContextAdapter"/>, their validated options, and hosted
    /// services that start loading the contexts at start (in the background: reads and writes are served meanwhile) and
    /// sweep expired ones. The store is in-memory unless another <see cref="IContextStore"/> is registered (for example
    /// with <c>AddAcornSqlite</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the <see cref="ContextOptions"/>.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    public static IServiceCollection AddAcorn(this IServiceCollection services, Action<ContextOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ContextOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<ContextAdapterOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContextOptions>, ContextOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IContextStore, InMemoryContextStore>();
        services.TryAddSingleton(sp => new ContextManager(
            sp.GetRequiredService<IContextStore>(),
            sp.GetRequiredService<IOptions<ContextOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ContextManager>>()));

        // Another implementation registered first (for example Acorn.Orleans' cluster manager) takes precedence.
        services.TryAddSingleton<IContextManager>(sp => sp.GetRequiredService<ContextManager>());
        services.TryAddSingleton(sp => new ContextAdapter(
            sp.GetRequiredService<IContextManager>(),
            sp.GetRequiredService<IOptions<ContextAdapterOptions>>().Value));
        services.AddHostedService<ContextStartupService>();
        services.AddHostedService<ContextExpiryService>();
        return services;
    }
}
