using Acorn.Orleans.Tests.Servers;
using Npgsql;
using StackExchange.Redis;

namespace Acorn.Orleans.Tests;

/// <summary>The fixtures start real servers that answer on loopback.</summary>
public sealed class ServerFixtureTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task Postgres_Has_The_Orleans_Queries_Installed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT querykey FROM OrleansQuery ORDER BY querykey", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["ClearStorageKey", "ReadFromStorageKey", "WriteToStorageKey"], keys);
        Assert.Equal("127.0.0.1", connection.Host);
    }

    [Fact]
    public async Task Redis_Answers_On_Loopback()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        Assert.True(await db.StringSetAsync("acorn:fixture", "ok"));
        Assert.Equal("ok", (string?)await db.StringGetAsync("acorn:fixture"));
    }
}
