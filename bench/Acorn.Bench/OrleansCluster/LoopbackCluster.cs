using System.Net;
using Acorn.Bench.Http;
using Acorn.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acorn.Bench.OrleansCluster;

/// <summary>
/// Two silo hosts and a client host in this process, talking over TCP on 127.0.0.1 (not the test cluster's in-memory
/// transport: a message costs what it would between machines, less the wire), with Acorn's context grains persisted in
/// PostgreSQL through Orleans' ADO.NET provider.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    private LoopbackCluster()
    {
    }

    public IClusterClient Client { get; private set; } = null!;

    /// <summary>A second client with a connection of its own, as a second process would have.</summary>
    public IClusterClient SecondClient { get; private set; } = null!;

    /// <summary>The first silo's services (its serializers, for the hop measurements).</summary>
    public IServiceProvider SiloServices => _hosts[0].Services;

    /// <summary>Starts the silos and two clients.</summary>
    /// <param name="silos">How many silos.</param>
    /// <param name="postgresConnectionString">The grain storage's database.</param>
    /// <param name="changeStream">Register the change stream provider on the silos, as Acorn's silo host does.</param>
    public static async Task<LoopbackCluster> StartAsync(int silos, string postgresConnectionString, bool changeStream = false)
    {
        var cluster = new LoopbackCluster();
        try
        {
            var siloPorts = Enumerable.Range(0, silos).Select(_ => ChildServer.FreeLoopbackPort()).ToArray();
            var gatewayPorts = Enumerable.Range(0, silos).Select(_ => ChildServer.FreeLoopbackPort()).ToArray();
            var primary = new IPEndPoint(IPAddress.Loopback, siloPorts[0]);
            // One at a time: the first is the primary the others join through (development clustering).
            for (var i = 0; i < silos; i++)
            {
                var silo = Silo(siloPorts[i], gatewayPorts[i], primary, postgresConnectionString, changeStream);
                cluster._hosts.Add(silo);
                await silo.StartAsync();
            }

            cluster.Client = await cluster.StartClientAsync(gatewayPorts);
            cluster.SecondClient = await cluster.StartClientAsync(gatewayPorts);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task<IClusterClient> StartClientAsync(int[] gatewayPorts)
    {
        var client = new HostBuilder()
            .ConfigureLogging(Warnings)
            .UseOrleansClient(c => c.UseLocalhostClustering(gatewayPorts))
            .Build();
        _hosts.Add(client);
        await client.StartAsync();
        return client.Services.GetRequiredService<IClusterClient>();
    }

    public async ValueTask DisposeAsync()
    {
        // Client first, then the silos in reverse, so that no silo waits on a client or a peer that is already gone.
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].StopAsync();
            _hosts[i].Dispose();
        }
    }

    private static IHost Silo(int siloPort, int gatewayPort, IPEndPoint primary, string postgresConnectionString, bool changeStream) =>
        new HostBuilder()
            .ConfigureLogging(Warnings)
            .UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, primary)
                    .AddAcornContextGrains()
                    .AddAdoNetGrainStorage(AcornOrleans.StorageName, o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = postgresConnectionString;
                    });
                if (changeStream)
                {
                    silo.AddMemoryStreams(AcornOrleans.StreamProviderName).AddMemoryGrainStorage("PubSubStore");
                }
            })
            .Build();

    // Warnings and errors only: Orleans' information logs would bury the bench's own lines.
    private static void Warnings(ILoggingBuilder logging) => logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
}
