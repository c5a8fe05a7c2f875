using Acorn.Testing.Servers;
using StackExchange.Redis;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>The 2-silo cluster with Orleans' Redis grain storage in the fixture's own redis-server.</summary>
public sealed class RedisCluster : ContextCluster
{
    // Set by StartStorageAsync, before the silos that read it are built.
    private RedisServer _redis = null!;

    /// <inheritdoc/>
    public override async Task<long> CountStoredRecordsAsync(string contextId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var server = connection.GetServers()[0];
        long count = 0;
        await foreach (var _ in server.KeysAsync(pattern: $"*{contextId}*").WithCancellation(cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <inheritdoc/>
    protected override async ValueTask StartStorageAsync() =>
        _redis = await RedisServer.StartAsync(TestContext.Current.CancellationToken);

    /// <inheritdoc/>
    protected override ValueTask StopStorageAsync() => _redis is null ? default : _redis.DisposeAsync();

    /// <inheritdoc/>
    protected override void AddStorage(ISiloBuilder silo)
    {
        var configuration = ConfigurationOptions.Parse(_redis.ConnectionString);
        silo.AddRedisGrainStorage(AcornOrleans.StorageName, o => o.ConfigurationOptions = configuration);
    }
}
