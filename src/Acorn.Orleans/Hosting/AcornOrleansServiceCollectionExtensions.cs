using Acorn.Contexts;
using Acorn.Orleans;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Streams;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Acorn's contexts on an Orleans cluster in a client or co-hosted application.</summary>
public static class AcornOrleansServiceCollectionExtensions
{
    /// <summary>
    /// Adds Acorn (<c>AddAcorn</c>) with an <see cref="OrleansContextManager"/> as the <see cref="IContextManager"/> and
    /// an <see cref="OrleansPluginStateStore"/> as the <see cref="IPluginStateStore"/>, replacing single-node ones
    /// registered before. It needs an <see cref="IGrainFactory"/>: an Orleans client
    /// (<c>UseOrleansClient</c>) or a co-hosted silo (<c>UseOrleans</c>). Register the stream provider
    /// <see cref="AcornOrleans.StreamProviderName"/> too for a change feed that includes other servers' writes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the <see cref="ContextOptions"/>; every client of the cluster should use the same.</param>
    /// <param name="configureRetry">Configures how long calls are retried while a dead silo's grains move (<see cref="ClusterRetryOptions"/>).</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    public static IServiceCollection AddAcornOrleansContexts(
        this IServiceCollection services, Action<ContextOptions>? configure = null, Action<ClusterRetryOptions>? configureRetry = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAcorn(configure);
        services.AddAcornStorageErrors();
        var retry = services.AddOptions<ClusterRetryOptions>();
        if (configureRetry is not null)
        {
            retry.Configure(configureRetry);
        }

        services.Replace(ServiceDescriptor.Singleton<IContextManager>(sp => new OrleansContextManager(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IOptions<ContextOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            changeStreams: sp.GetKeyedService<IStreamProvider>(AcornOrleans.StreamProviderName),
            retry: sp.GetRequiredService<IOptions<ClusterRetryOptions>>().Value)));
        services.Replace(ServiceDescriptor.Singleton<IPluginStateStore>(sp => new OrleansPluginStateStore(
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    /// <summary>
    /// Lets the exceptions of the storage providers Acorn documents (Npgsql, StackExchange.Redis) cross grain
    /// boundaries, so that a <see cref="ContextStoreException"/> says what failed ("Failed to connect to ...") instead of
    /// that Orleans had no codec for it. Silos get it from <c>AddAcornContextGrains</c>; call it on a client that uses
    /// <see cref="ContextGrainClient"/> without <see cref="AddAcornOrleansContexts"/>.
    /// </summary>
    /// <param name="services">The silo's or client's service collection.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    public static IServiceCollection AddAcornStorageErrors(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("Npgsql");
            o.SupportedNamespacePrefixes.Add("StackExchange.Redis");
        });
}
