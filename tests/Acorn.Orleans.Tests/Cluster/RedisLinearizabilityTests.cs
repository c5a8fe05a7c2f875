namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The linearizability check with Redis storage.</summary>
public sealed class RedisLinearizabilityTests(RedisCluster cluster) : LinearizabilityTests(cluster), IClassFixture<RedisCluster>;
