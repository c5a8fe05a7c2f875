using Acorn.Contexts;
using Acorn.Orleans;
using Acorn.Orleans.Clustering;
using Acorn.Orleans.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// An Orleans silo for Acorn's context grains. Configuration: appsettings.json, ACORN__ environment variables, and the
// command line (the switches below, or any key: --Acorn:Orleans:ClusterId=prod).
var switches = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--clustering"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.Clustering)}",
    ["--postgres"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.Postgres)}",
    ["--redis"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.Redis)}",
    ["--silo-port"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.SiloPort)}",
    ["--gateway-port"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.GatewayPort)}",
    ["--primary-silo-port"] = $"{AcornClusterOptions.SectionName}:{nameof(AcornClusterOptions.PrimarySiloPort)}",
    ["--storage"] = $"{AcornSiloOptions.SectionName}:{nameof(AcornSiloOptions.Storage)}",
};

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, switches);
var cluster = builder.Configuration.GetSection(AcornClusterOptions.SectionName).Get<AcornClusterOptions>() ?? new AcornClusterOptions();
var silo = builder.Configuration.GetSection(AcornSiloOptions.SectionName).Get<AcornSiloOptions>() ?? new AcornSiloOptions();
builder.Services.AddOptions<ContextOptions>().Bind(builder.Configuration.GetSection("Acorn:Contexts"));

builder.UseOrleans(orleans => orleans
    .UseAcornClustering(cluster)
    .AddAcornContextGrains()
    .AddAcornGrainStorage(silo.Storage, cluster)

    // The change feed reaches the servers through this stream provider.
    .AddMemoryStreams(AcornOrleans.StreamProviderName)
    .UseInMemoryReminderService());

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acorn.Orleans.Silo");
SiloLog.Starting(logger, cluster.Describe(), cluster.SiloPort, cluster.GatewayPort, silo.Storage);
await host.RunAsync().ConfigureAwait(false);
