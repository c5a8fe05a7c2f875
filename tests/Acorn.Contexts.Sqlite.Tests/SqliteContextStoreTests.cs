using System.Text.Json;
using Acorn.Contexts.Testing;
using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Tests;

public sealed class SqliteContextStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheStoreItself_RefusesStaleWrites_AndKeepsTheNewerVersion()
    {
        await using var store = Open();
        var v1 = State("a", 1, """{"n":1}""");
        await store.WriteAsync(new PutContextWrite(v1), Ct);
        await store.WriteAsync(new PutContextWrite(State("a", 2, """{"n":2}""")), Ct);

        var recreate = await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await store.WriteAsync(new PutContextWrite(v1), Ct));
        var skip = await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await store.WriteAsync(new PutContextWrite(State("a", 4, """{"n":4}""")), Ct));
        var staleDelete = await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await store.WriteAsync(new DeleteContextWrite("a", 1), Ct));

        Assert.Equal((0L, 2L), (recreate.ExpectedVersion, recreate.ActualVersion));
        Assert.Equal((3L, 2L), (skip.ExpectedVersion, skip.ActualVersion));
        Assert.Equal(1, staleDelete.ExpectedVersion);
        var stored = Assert.Single(await store.ReadAllAsync(Ct));
        Assert.Equal((2L, 2), (stored.Version, stored.Data.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task ConcurrentWrites_AreGroupCommitted_AndEachIsAcknowledgedOnlyOnce()
    {
        await using var store = Open();
        var writes = Enumerable.Range(0, 256)
            .Select(i => store.WriteAsync(new PutContextWrite(State($"g{i}", 1, "{}")), Ct).AsTask())
            .ToArray();

        await Task.WhenAll(writes);

        Assert.Equal(256, (await store.ReadAllAsync(Ct)).Count);
        Assert.InRange(store.CommittedBatches, 1, 255);
    }

    [Fact]
    public async Task WritesSubmittedOneAfterAnother_ToOneContext_CommitInThatOrder_SharingCommits()
    {
        await using var store = Open();
        var durables = new List<Task>();
        for (var version = 1; version <= 100; version++)
        {
            // Each write expects the one submitted before it, none of which is durable yet.
            durables.Add(await store.SubmitAsync(new PutContextWrite(State("hot", version, $$"""{"n":{{version}}}""")), Ct));
        }

        await Task.WhenAll(durables);

        var stored = Assert.Single(await store.ReadAllAsync(Ct));
        Assert.Equal((100L, 100), (stored.Version, stored.Data.GetProperty("n").GetInt32()));
        Assert.InRange(store.CommittedBatches, 1, 99);
    }

    [Fact]
    public async Task AContextsWholeLifeSubmittedAtOnce_IsCheckedWriteByWrite_AndStoredAsItsLastState()
    {
        await using var store = Open();
        var v2 = State("a", 2, """{"n":2}""");
        ContextWrite[] writes =
        [
            new PutContextWrite(State("a", 1, """{"n":1}""")),
            new PutContextWrite(v2),
            new AddRecoveryPointWrite(new RecoveryPoint(1, v2, DateTimeOffset.UnixEpoch), 10),
            new DeleteContextWrite("a", 2),
            new PutContextWrite(State("a", 1, """{"n":9}""")),
            new PutContextWrite(State("a", 3, """{"n":3}""")),
            new PutContextWrite(State("a", 2, """{"n":10}""")),
            new PutContextWrite(State("b", 1, """{"n":1}""")),
        ];
        var durables = new List<Task>();
        foreach (var write in writes)
        {
            durables.Add(await store.SubmitAsync(write, Ct));
        }

        var stale = await Assert.ThrowsAsync<ContextVersionConflictException>(() => durables[5]);
        await Task.WhenAll(durables.Where((_, i) => i != 5));

        Assert.Equal((2L, 1L), (stale.ExpectedVersion, stale.ActualVersion));
        var stored = (await store.ReadAllAsync(Ct)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([("a", 2L, 10), ("b", 1L, 1)], stored.Select(c => (c.Id, c.Version, c.Data.GetProperty("n").GetInt32())));
        Assert.Empty(await store.ListRecoveryPointsAsync("a", Ct));
    }

    [Fact]
    public async Task ADatabaseFromANewerAcorn_IsRefused_WithBothSchemaVersionsNamed()
    {
        (await OpenAndCloseAsync()).ToString();
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<ContextStoreException>(() => Open());

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({SqliteSchema.LatestVersion})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopening_KeepsTheSchema_AndRunsNoMigrationTwice()
    {
        await OpenAndCloseAsync();
        await using (var store = Open())
        {
            await store.WriteAsync(new PutContextWrite(State("a", 1, "{}")), Ct);
        }

        await using var reopened = Open();
        Assert.Single(await reopened.ReadAllAsync(Ct));
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), max(version) FROM schema_version;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((1L, (long)SqliteSchema.LatestVersion), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public void InvalidOptions_AreRejected_WithTheOptionNamed()
    {
        Assert.Contains("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path, MaxBatchSize = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Path", Assert.Throws<ArgumentException>(() => new SqliteContextStore(new SqliteContextStoreOptions { Path = " " })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterDispose_QueuedWritesAreCommitted_AndNewWritesAreRefused()
    {
        var store = Open();
        var pending = Enumerable.Range(0, 50).Select(i => store.WriteAsync(new PutContextWrite(State($"d{i}", 1, "{}")), Ct).AsTask()).ToArray();
        await store.DisposeAsync();

        await Task.WhenAll(pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.WriteAsync(new PutContextWrite(State("late", 1, "{}")), Ct));
        await using var reopened = Open();
        Assert.Equal(50, (await reopened.ReadAllAsync(Ct)).Count);
    }

    public void Dispose() => _database.Dispose();

    internal static ContextState State(string id, long version, string json) =>
        ContextState.FromStore(id, version, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, json, new Dictionary<string, string>());

    private SqliteContextStore Open() => new(new SqliteContextStoreOptions { Path = _database.Path });

    private async Task<string> OpenAndCloseAsync()
    {
        await using var store = Open();
        return store.FilePath;
    }
}
