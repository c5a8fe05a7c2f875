using Acorn.Testing.Servers;
using Npgsql;
using StackExchange.Redis;

namespace Acorn.Orleans.Tests;

/// <summary>The fixtures start real servers that answer on loopback.</summary>
public sealed class ServerFixtureTests(ServerFixtureTests.Servers servers) : IClassFixture<ServerFixtureTests.Servers>
{
    [Fact]
    public async Task Postgres_Has_The_Orleans_Queries_Installed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(servers.Postgres.ConnectionString);
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
        await using var connection = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        var db = connection.GetDatabase();
        Assert.True(await db.StringSetAsync("acorn:fixture", "ok"));
        Assert.Equal("ok", (string?)await db.StringGetAsync("acorn:fixture"));
    }

    /// <summary>Both servers, started once for the class (the server types know nothing of xunit).</summary>
    public sealed class Servers : IAsyncLifetime
    {
        /// <summary>The PostgreSQL server.</summary>
        public PostgresServer Postgres { get; private set; } = null!;

        /// <summary>The Redis server.</summary>
        public RedisServer Redis { get; private set; } = null!;

        /// <inheritdoc/>
        public async ValueTask InitializeAsync()
        {
            var ct = TestContext.Current.CancellationToken;
            Postgres = await PostgresServer.StartAsync(ct);
            Redis = await RedisServer.StartAsync(ct);
        }

        /// <inheritdoc/>
        public async ValueTask DisposeAsync()
        {
            if (Redis is not null)
            {
                await Redis.DisposeAsync();
            }

            if (Postgres is not null)
            {
                await Postgres.DisposeAsync();
            }
        }
    }
}
