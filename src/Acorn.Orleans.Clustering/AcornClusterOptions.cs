using System.Net;

namespace Acorn.Orleans.Clustering;

/// <summary>
/// How Acorn's silos and the Acorn server reach one Orleans cluster, bound from the configuration section
/// <c>Acorn:Orleans</c>. Silos and clients of one cluster need the same <see cref="Clustering"/>, connection string,
/// <see cref="ClusterId"/> and <see cref="ServiceId"/>.
/// </summary>
public sealed class AcornClusterOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Acorn:Orleans";

    /// <summary>How members find each other. Default <see cref="ClusterMembership.Localhost"/>.</summary>
    public ClusterMembership Clustering { get; set; } = ClusterMembership.Localhost;

    /// <summary>The Redis configuration string (<c>host:port</c>, StackExchange.Redis syntax) for <see cref="ClusterMembership.Redis"/>.</summary>
    public string? Redis { get; set; }

    /// <summary>The Npgsql connection string for <see cref="ClusterMembership.Postgres"/>.</summary>
    public string? Postgres { get; set; }

    /// <summary>The cluster's id: silos and clients with the same id form one cluster. Default <c>acorn</c>.</summary>
    public string ClusterId { get; set; } = "acorn";

    /// <summary>
    /// The service's id: grain state is stored under it, so it must stay the same across deployments of one service.
    /// Default <c>acorn</c>.
    /// </summary>
    public string ServiceId { get; set; } = "acorn";

    /// <summary>The port silos talk to each other on (a silo's own). Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients connect to (a silo's gateway; with localhost clustering, the one the client uses). Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>With <see cref="ClusterMembership.Localhost"/>: the silo port of the silo the others join. Default 11111.</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>
    /// The address a silo tells the others to reach it on. Default 127.0.0.1: one machine. On several machines, set
    /// each silo's own address.
    /// </summary>
    public string AdvertisedAddress { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>How long a client keeps trying to connect at start before it gives up with an error. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Silos only: how long a silo waits for another's answer to a liveness probe (Orleans'
    /// <c>ClusterMembershipOptions.ProbeTimeout</c>; Orleans adapts it between half and four times this to the answers it
    /// sees). With <see cref="MissedProbes"/> it sets how soon a dead silo is declared dead, and so how long calls to its
    /// grains fail before they are activated elsewhere. Default 2 s (Orleans' own default is 5 s).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Silos only: how many probes in a row a silo may miss before its probers vote it dead (Orleans'
    /// <c>NumMissedProbesLimit</c>); two votes declare it. Default 3.
    /// </summary>
    public int MissedProbes { get; set; } = 3;

    /// <summary>Throws when a setting the chosen <see cref="Clustering"/> needs is missing or out of range.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names the configuration key.</exception>
    public void Validate()
    {
        if (Clustering == ClusterMembership.Redis && string.IsNullOrWhiteSpace(Redis))
        {
            throw new InvalidOperationException($"{SectionName}:Clustering is Redis but {SectionName}:Redis (a connection string such as 127.0.0.1:6379) is not set.");
        }

        if (Clustering == ClusterMembership.Postgres && string.IsNullOrWhiteSpace(Postgres))
        {
            throw new InvalidOperationException($"{SectionName}:Clustering is Postgres but {SectionName}:Postgres (an Npgsql connection string) is not set.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new InvalidOperationException($"{SectionName}:ClusterId and {SectionName}:ServiceId must not be empty.");
        }

        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            throw new InvalidOperationException($"{SectionName}:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.");
        }

        if (ProbeTimeout <= TimeSpan.Zero || ProbeTimeout > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException($"{SectionName}:{nameof(ProbeTimeout)} {ProbeTimeout} is not between 0 and 1 minute.");
        }

        if (MissedProbes is < 1 or > 10)
        {
            throw new InvalidOperationException($"{SectionName}:{nameof(MissedProbes)} {MissedProbes} is not between 1 and 10.");
        }

        foreach (var (name, port) in new[] { (nameof(SiloPort), SiloPort), (nameof(GatewayPort), GatewayPort), (nameof(PrimarySiloPort), PrimarySiloPort) })
        {
            if (port is <= 0 or > 65535)
            {
                throw new InvalidOperationException($"{SectionName}:{name} {port} is not a port (1-65535).");
            }
        }
    }

    /// <summary>Describes where the cluster's membership lives, without secrets, for logs and error messages.</summary>
    /// <returns>For example <c>cluster 'acorn' (Postgres membership)</c>.</returns>
    public string Describe() => Clustering == ClusterMembership.Localhost
        ? $"cluster '{ClusterId}' (localhost, gateway 127.0.0.1:{GatewayPort})"
        : $"cluster '{ClusterId}' ({Clustering} membership)";
}
