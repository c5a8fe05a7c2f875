using Acorn.Contexts.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Sqlite.Tests;

public sealed class SqlitePluginStateTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavedState_SurvivesClosingAndReopeningTheFile()
    {
        await using (var store = Open())
        {
            await store.SaveAsync("p", "one"u8.ToArray(), Ct);
            await store.SaveAsync("p", "two"u8.ToArray(), Ct);
        }

        await using var reopened = Open();
        var saved = await reopened.GetAsync("p", Ct);
        Assert.NotNull(saved);
        Assert.Equal(("two", 2L, _time.GetUtcNow()), (System.Text.Encoding.UTF8.GetString(saved.State.Span), saved.Version, saved.UpdatedAt));
    }

    [Fact]
    public async Task ConcurrentSaves_ShareTheContextWriter_AndItsGroupCommit()
    {
        await using var store = Open();
        var contextWrites = Enumerable.Range(0, 100)
            .Select(i => store.WriteAsync(new PutContextWrite(SqliteContextStoreTests.State($"c{i}", 1, "{}")), Ct).AsTask());
        var stateSaves = Enumerable.Range(0, 100).Select(i => store.SaveAsync($"p{i}", new[] { (byte)i }, Ct));

        await Task.WhenAll(contextWrites.Concat(stateSaves));

        Assert.InRange(store.CommittedBatches, 1, 199);
        Assert.Equal(100, (await store.ReadAllAsync(Ct)).Count);
        Assert.Equal(42, (await store.GetAsync("p42", Ct))!.State.Span[0]);
    }

    [Fact]
    public async Task ADatabaseAtSchemaVersion1_IsMigratedTo2_AndKeepsItsContextsAndRecoveryPoints()
    {
        await using (var store = Open())
        {
            await store.WriteAsync(new PutContextWrite(SqliteContextStoreTests.State("kept", 1, """{"n":1}""")), Ct);
            await store.WriteAsync(new AddRecoveryPointWrite(new RecoveryPoint(7, SqliteContextStoreTests.State("kept", 1, """{"n":1}"""), DateTimeOffset.UnixEpoch), 10), Ct);
        }

        // What a version-1 file is: migration 1's tables, without the plugin state table, recorded as version 1.
        _database.Execute("DROP TABLE plugin_state; UPDATE schema_version SET version = 1;");
        Assert.Equal(1L, Scalar("SELECT version FROM schema_version;"));

        await using var migrated = Open();

        Assert.Equal(2L, Scalar("SELECT version FROM schema_version;"));
        var kept = Assert.Single(await migrated.ReadAllAsync(Ct));
        Assert.Equal(("kept", 1L, 1), (kept.Id, kept.Version, kept.Data.GetProperty("n").GetInt32()));
        Assert.Equal(7, (await migrated.ReadSummaryAsync(Ct)).LastRecoveryPointId);
        Assert.Equal(7, Assert.Single(await migrated.ListRecoveryPointsAsync("kept", Ct)).Id);
        Assert.Equal(1, (await migrated.SaveAsync("p", new byte[] { 1 }, Ct)).Version);
    }

    [Fact]
    public async Task AddAcornSqlite_MakesTheSameStoreThePluginStateStore()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAcornSqlite(o => o.Path = _database.Path);
        await using var provider = services.BuildServiceProvider();

        var plugins = provider.GetRequiredService<IPluginStateStore>();

        Assert.Same(provider.GetRequiredService<IContextStore>(), plugins);
        await plugins.SaveAsync("p", new byte[] { 1, 2, 3 }, Ct);
        Assert.Equal(3, (await plugins.GetAsync("p", Ct))!.State.Length);
    }

    public void Dispose() => _database.Dispose();

    private SqliteContextStore Open() => new(new SqliteContextStoreOptions { Path = _database.Path }, timeProvider: _time);

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
