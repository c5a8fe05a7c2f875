using System.Net;
using System.Net.Sockets;
using Acorn.Orleans;
using Acorn.Orleans.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acorn.Server.Tests;

/// <summary>
/// The server with <c>--store orleans</c>, a client of one silo started in this process on loopback ports, with
/// localhost clustering and in-memory grain storage.
/// </summary>
public sealed class OrleansServerFixture : ServerFixture
{
    private IHost? _silo;

    public override async ValueTask InitializeAsync()
    {
        // A cluster id of its own, so that nothing else on the machine can join this test's cluster.
        var cluster = new AcornClusterOptions { SiloPort = FreePort(), GatewayPort = FreePort(), ClusterId = $"test-{Guid.NewGuid():N}" };
        cluster.PrimarySiloPort = cluster.SiloPort;
        _silo = StartSilo(cluster);
        await _silo.StartAsync(TestContext.Current.CancellationToken);
        ExtraArguments.Add("--store=orleans");
        ExtraArguments.Add($"--Acorn:Orleans:GatewayPort={cluster.GatewayPort}");
        ExtraArguments.Add($"--Acorn:Orleans:ClusterId={cluster.ClusterId}");
        await base.InitializeAsync();
    }

    /// <summary>Another writer on the cluster, beside the server: a manager on the silo's own grain factory.</summary>
    public OrleansContextManager CreateOtherWriter() =>
        new(_silo!.Services.GetRequiredService<IGrainFactory>());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }
    }

    /// <summary>A silo as src/Acorn.Orleans.Silo builds it with <c>--storage Memory</c>.</summary>
    private static IHost StartSilo(AcornClusterOptions cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseAcornClustering(cluster)
            .AddAcornContextGrains()
            .AddMemoryGrainStorage(AcornOrleans.StorageName)
            .AddMemoryGrainStorage("PubSubStore")
            .AddMemoryStreams(AcornOrleans.StreamProviderName));
        return builder.Build();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
