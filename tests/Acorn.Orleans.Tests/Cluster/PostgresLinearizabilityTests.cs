namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The linearizability check with PostgreSQL storage (Orleans' ADO.NET provider).</summary>
public sealed class PostgresLinearizabilityTests(PostgresCluster cluster) : LinearizabilityTests(cluster), IClassFixture<PostgresCluster>;
