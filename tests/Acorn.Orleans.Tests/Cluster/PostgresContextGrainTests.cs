namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The context grain tests with PostgreSQL storage (Orleans' ADO.NET provider): the production recommendation.</summary>
public sealed class PostgresContextGrainTests(PostgresCluster cluster) : ContextGrainTests(cluster), IClassFixture<PostgresCluster>;
