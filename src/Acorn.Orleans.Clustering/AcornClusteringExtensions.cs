using System.Net;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace Acorn.Orleans.Clustering;

/// <summary>Configures an Orleans silo or client for the cluster <see cref="AcornClusterOptions"/> describe.</summary>
public static class AcornClusteringExtensions
{
    /// <summary>The ADO.NET provider name Npgsql registers under.</summary>
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>Sets the silo's cluster and service ids, its endpoints and its membership provider.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="options">The cluster settings; validated here.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    public static ISiloBuilder UseAcornClustering(this ISiloBuilder builder, AcornClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.UseAcornFailureDetection(options);
        switch (options.Clustering)
        {
            case ClusterMembership.Localhost:
                // Sets the ids and the endpoints itself.
                var primary = new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort);
                return builder.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
            case ClusterMembership.Redis:
                builder.UseRedisClustering(options.Redis!);
                break;
            case ClusterMembership.Postgres:
                builder.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = options.Postgres;
                });
                break;
            default:
                throw new InvalidOperationException($"Unknown clustering {options.Clustering}.");
        }

        builder.Configure<ClusterOptions>(o => SetIds(o, options));

        // Listen on every interface only when the silo is meant to be reached from other machines.
        var advertised = IPAddress.Parse(options.AdvertisedAddress);
        return builder.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    }

    /// <summary>
    /// Sets how soon the silo's membership declares another silo dead (<see cref="AcornClusterOptions.ProbeTimeout"/>,
    /// <see cref="AcornClusterOptions.MissedProbes"/>): until then, calls to the grains of a silo that died fail, and
    /// Acorn's clients retry reads through that window. <see cref="UseAcornClustering(ISiloBuilder, AcornClusterOptions)"/>
    /// calls it; call it on a silo configured otherwise (a test cluster) to get the same detection.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="options">The cluster settings.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    public static ISiloBuilder UseAcornFailureDetection(this ISiloBuilder builder, AcornClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = options.ProbeTimeout;
            o.NumMissedProbesLimit = options.MissedProbes;
        });
    }

    /// <summary>Sets the client's cluster and service ids and where it finds the cluster's gateways.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="options">The cluster settings; validated here.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    public static IClientBuilder UseAcornClustering(this IClientBuilder builder, AcornClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        switch (options.Clustering)
        {
            case ClusterMembership.Localhost:
                return builder.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            case ClusterMembership.Redis:
                builder.UseRedisClustering(options.Redis!);
                break;
            case ClusterMembership.Postgres:
                builder.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = options.Postgres;
                });
                break;
            default:
                throw new InvalidOperationException($"Unknown clustering {options.Clustering}.");
        }

        return builder.Configure<ClusterOptions>(o => SetIds(o, options));
    }

    private static void SetIds(ClusterOptions target, AcornClusterOptions options)
    {
        target.ClusterId = options.ClusterId;
        target.ServiceId = options.ServiceId;
    }
}
