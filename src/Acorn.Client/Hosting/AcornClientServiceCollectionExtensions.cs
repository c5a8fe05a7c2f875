using System.Net.Http.Headers;
using Acorn.Client;
using Acorn.Client.Internal;
using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AcornClient"/>: Acorn's contexts over HTTP, from another process.</summary>
public static class AcornClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AcornClient"/> and makes it the <see cref="IContextManager"/> unless one is registered already,
    /// with its HTTP clients on <see cref="IHttpClientFactory"/> and its options checked when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: at least <see cref="AcornClientOptions.BaseAddress"/> and <see cref="AcornClientOptions.ApiKey"/>.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    /// <example>
    /// <code>
    /// services.AddAcornClient(o =&gt;
    /// {
    ///     o.BaseAddress = new Uri("http://127.0.0.1:5080");
    ///     o.ApiKey = Environment.GetEnvironmentVariable("ACORN_API_KEY");
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddAcornClient(this IServiceCollection services, Action<AcornClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AcornClientOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AcornClientOptions>, AcornClientOptionsValidator>());

        services.AddHttpClient(AcornClient.HttpClientName)
            .ConfigureHttpClient(Configure)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .AddResilienceHandler("acorn", static (pipeline, context) =>
                ResiliencePipelines.Build(pipeline, context.InstanceName, context.ServiceProvider.GetRequiredService<IOptions<AcornClientOptions>>().Value))
            .SelectPipelineBy(static _ => ResiliencePipelines.Select);

        // Event streams: no resilience handler and no total timeout; the stream's heartbeat is its timeout, and the
        // subscription reconnects by itself.
        services.AddHttpClient(AcornClient.EventsHttpClientName)
            .ConfigureHttpClient(Configure)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler);

        services.TryAddSingleton<AcornClient>();
        services.TryAddSingleton<IContextManager>(sp => sp.GetRequiredService<AcornClient>());
        return services;
    }

    private static void Configure(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<AcornClientOptions>>().Value;

        // Relative request paths resolve under the base address, so a server behind a path prefix works too.
        var address = options.BaseAddress!.ToString();
        http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    private static SocketsHttpHandler CreateHandler(IServiceProvider services) =>
        new() { ConnectTimeout = services.GetRequiredService<IOptions<AcornClientOptions>>().Value.ConnectTimeout };
}
