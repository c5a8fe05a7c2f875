namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The context grain tests with Redis storage (Orleans' Redis provider): the simpler option.</summary>
public sealed class RedisContextGrainTests(RedisCluster cluster) : ContextGrainTests(cluster), IClassFixture<RedisCluster>;
