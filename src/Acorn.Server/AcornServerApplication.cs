using Acorn.Contexts;
using Acorn.Server.Dashboard;
using Acorn.Server.Endpoints;
using Acorn.Server.Events;
using Acorn.Server.Health;
using Acorn.Server.OpenApi;
using Acorn.Server.Security;
using Acorn.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Scalar.AspNetCore;

namespace Acorn.Server;

/// <summary>Builds the Acorn server: the HTTP contract of DESIGN.md section 7 over <see cref="ContextManager"/> and the plugin manager.</summary>
public static partial class AcornServerApplication
{
    private static readonly double[] SecondsBuckets =
        [0.000_01, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data"] = $"{AcornServerOptions.SectionName}:{nameof(AcornServerOptions.DataPath)}",
        ["--plugins"] = $"{AcornServerOptions.SectionName}:{nameof(AcornServerOptions.PluginsPath)}",
        ["--store"] = ContextStoreSelection.ConfigurationKey,
    };

    /// <summary>Creates the server from command-line arguments, <c>appsettings.json</c> and the environment.</summary>
    /// <param name="args">
    /// The command line: <c>--data DIR</c>, <c>--plugins DIR</c>, <c>--urls URL</c>, <c>--store sqlite|orleans</c>, and any configuration key
    /// (<c>--Acorn:Server:MaxPageSize=500</c>).
    /// </param>
    /// <returns>The application, ready to run.</returns>
    public static WebApplication Create(string[] args) => Create(args, configure: null);

    /// <summary>Creates the server as <see cref="Create(string[])"/> does, letting the caller change its services before it is built.</summary>
    /// <param name="args">The command line, as for <see cref="Create(string[])"/>.</param>
    /// <param name="configure">Runs after the server registered its services and before the application is built: to add or replace services when embedding it.</param>
    /// <returns>The application, ready to run.</returns>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, SwitchMappings);

        // Authentication registers data protection, which nothing here uses (no cookies): its "unencrypted key" warning is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        var options = builder.Configuration.GetSection(AcornServerOptions.SectionName).Get<AcornServerOptions>() ?? new AcornServerOptions();
        var paths = new ServerPaths(options);
        var urls = ListenAddresses.Resolve(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));

        var store = AddServices(builder, options, paths);
        configure?.Invoke(builder);
        var app = builder.Build();
        ListenAddresses.Check(urls, options.AllowRemoteBinding, app.Logger);
        _ = app.Services.GetRequiredService<ApiKeyRing>();
        MapRoutes(app);
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, paths, store));
        return app;
    }

    private static string AddServices(WebApplicationBuilder builder, AcornServerOptions options, ServerPaths paths)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<AcornServerOptions>().Bind(configuration.GetSection(AcornServerOptions.SectionName));
        services.AddSingleton(paths);
        var store = ContextStoreSelection.AddContextStore(builder, paths);

        services.AddAcorn().AddOptions<ContextOptions>().Bind(configuration.GetSection("Acorn:Contexts"));

        // A server's contexts are what its clients created: the adapter's "default" context is made only when configured.
        services.AddOptions<ContextAdapterOptions>()
            .Configure(adapter => adapter.AutoActivateDefault = false)
            .Bind(configuration.GetSection("Acorn:Adapter"));
        services.AddAcornPlugins(o => o.Roots.Add(paths.Plugins));

        services.AddSingleton(sp => ApiKeyBootstrap.CreateRing(
            sp.GetRequiredService<IOptions<AcornServerOptions>>().Value,
            paths.Data,
            Environment.GetEnvironmentVariable(ApiKeyBootstrap.EnvironmentVariable),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyBootstrap).FullName!)));
        services.AddSingleton<AuthenticationFailures>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthenticationHandler.AdminPolicy, p => p.RequireClaim(ApiKeyAuthenticationHandler.RoleClaim, nameof(ApiKeyRole.Admin)))
            .AddPolicy(ApiKeyAuthenticationHandler.ReadPolicy, p => p.RequireClaim(
                ApiKeyAuthenticationHandler.RoleClaim, nameof(ApiKeyRole.Admin), nameof(ApiKeyRole.ReadOnly)));

        services.AddProblemDetails();
        services.AddExceptionHandler<AcornExceptionHandler>();
        services.ConfigureHttpJsonOptions(json => ServerJson.Configure(json.SerializerOptions));
        services.AddSingleton<JsonRequestBody>();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<BearerSecurityTransformer>());

        services.AddSingleton<ChangeLog>();
        services.AddSingleton<ChangeEventStream>();
        services.AddHostedService<ChangeLogPump>();
        services.AddSingleton<LiveStats>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStats>());

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthResponse.Ready])
            .AddCheck<PluginHealthCheck>("plugins", tags: [HealthResponse.Ready]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics => metrics
            .AddMeter("Acorn.Threading", "Acorn.Contexts", "Acorn.Contexts.Sqlite", "Acorn.Plugins", AuthenticationFailures.MeterName)

            // OpenTelemetry's default histogram buckets (0, 5, 10, 25 ... 10000) are for milliseconds; Acorn's durations are in
            // seconds, so every operation would fall into the first bucket and /metrics percentiles would say nothing.
            .AddView(instrument => instrument.Meter.Name.StartsWith("Acorn.", StringComparison.Ordinal) && instrument.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets }
                : null)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return store;
    }

    private static void MapRoutes(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var dashboard = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = dashboard,

            // The dashboard handles an API key: no inline script, no other origin may run in it.
            OnPrepareResponse = file => file.Context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapScalarApiReference("/api");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/healthz", new() { ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/healthz/ready", new() { Predicate = check => check.Tags.Contains(HealthResponse.Ready), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/healthz/live", new() { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapContextEndpoints();
        app.MapRecoveryPointEndpoints();
        app.MapEventEndpoints();
        app.MapPluginEndpoints();
        app.MapDashboardEndpoints();
    }

    private static void LogStarted(WebApplication app, ServerPaths paths, string store)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var keyFile = Path.Combine(paths.Data, ApiKeyBootstrap.KeyFileName);
        var keyHint = Environment.GetEnvironmentVariable(ApiKeyBootstrap.EnvironmentVariable) is { Length: > 0 }
            ? $"the key in ${ApiKeyBootstrap.EnvironmentVariable}"
            : File.Exists(keyFile) ? $"the key in {keyFile}" : "a configured key";
        Log.Started(app.Logger, string.Join(", ", addresses), store, paths.Plugins, keyHint);
    }

    /// <summary>Log messages of the server's start: event ids 4030-4039.</summary>
    private static partial class Log
    {
        [LoggerMessage(4030, LogLevel.Information,
            "Acorn is listening on {Addresses} (dashboard at /, API at /api). Contexts: {Store}. Plugins: {Plugins}. Authenticate with {KeyHint}")]
        public static partial void Started(ILogger logger, string addresses, string store, string plugins, string keyHint);
    }
}
