namespace Acorn.Orleans.Clustering;

/// <summary>Where silos and clients find the cluster's members.</summary>
public enum ClusterMembership
{
    /// <summary>
    /// Development clustering on one machine: silos join a primary silo at <see cref="AcornClusterOptions.PrimarySiloPort"/>,
    /// clients connect to the gateway at <see cref="AcornClusterOptions.GatewayPort"/>. Nothing to install; the cluster
    /// dies with the primary silo.
    /// </summary>
    Localhost,

    /// <summary>A membership table in Redis (<see cref="AcornClusterOptions.Redis"/>).</summary>
    Redis,

    /// <summary>
    /// A membership table in PostgreSQL (<see cref="AcornClusterOptions.Postgres"/>); install
    /// <c>OrleansPostgresClustering.sql</c> in the database first.
    /// </summary>
    Postgres,
}
