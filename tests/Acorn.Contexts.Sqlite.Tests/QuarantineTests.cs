using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>
/// Issue 15, item 7: stored rows are read with the limits writes were allowed; a row that still cannot be read is
/// quarantined (logged with its id, listed in the load status, answered with a store error) and every other context is
/// served.
/// </summary>
public sealed class QuarantineTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AContextDeeperThan64_WrittenUnderAHigherMaxDataDepth_IsReadBackAfterARestart()
    {
        var options = new ContextOptions { MaxDataDepth = 100 };
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 80)) + "1" + new string('}', 80);
        await using (var store = Open())
        {
            var manager = new ContextManager(store, options);
            await manager.CreateAsync("deep", ContextContent.Parse(deep), Ct);
            await manager.CreateAsync("flat", ContextContent.Parse("""{"n":1}"""), Ct);
        }

        await using var reopened = Open();
        var restarted = new ContextManager(reopened, options);
        await restarted.InitializeAsync(Ct);

        Assert.Empty(restarted.LoadStatus.Quarantined);
        Assert.Equal(deep, (await restarted.GetAsync("deep", Ct)).Data.GetRawText());
        Assert.Equal(2, restarted.Count);
    }

    [Fact]
    public async Task ACorruptRow_IsQuarantined_AndEveryOtherContextIsServed()
    {
        await using (var store = Open())
        {
            var manager = new ContextManager(store);
            foreach (var id in (string[])["a", "bad", "c"])
            {
                await manager.CreateAsync(id, ContextContent.Parse("""{"n":1}"""), Ct);
            }
        }

        _database.Execute("UPDATE contexts SET data = '[1,2' WHERE id = 'bad';");
        var logs = new FakeLogCollector();
        await using var reopened = Open();
        var restarted = new ContextManager(reopened, logger: new FakeLogger<ContextManager>(logs));
        await restarted.InitializeAsync(Ct);

        var status = restarted.LoadStatus;
        Assert.True(status.IsComplete);
        Assert.Equal("bad", Assert.Single(status.Quarantined).Id);
        Assert.Equal((3, 3), (status.Loaded, status.Total));
        Assert.Equal(["a", "c"], (await restarted.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
        Assert.Equal(2, await restarted.CountAsync(Ct));
        Assert.Equal(2, (await restarted.UpdateAsync("a", ContextContent.Parse("""{"n":2}"""), cancellationToken: Ct)).Version);

        var read = await Assert.ThrowsAsync<ContextStoreException>(async () => await restarted.GetAsync("bad", Ct));
        Assert.Contains("quarantined", read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ContextStoreException>(async () => await restarted.CreateAsync("bad", ContextContent.Parse("{}"), Ct));
        await Assert.ThrowsAsync<ContextStoreException>(async () => await restarted.DeleteAsync("bad", cancellationToken: Ct));

        var logged = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Id.Id == 1002);
        Assert.Contains("'bad'", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStore_ReportsAnUnreadableRowInItsPage_AndFailsAReadOfThatRowWithAStoreError()
    {
        await using (var store = Open())
        {
            await store.WriteAsync(new PutContextWrite(SqliteContextStoreTests.State("a", 1, "{}")), Ct);
            await store.WriteAsync(new PutContextWrite(SqliteContextStoreTests.State("b", 1, "{}")), Ct);
        }

        _database.Execute("UPDATE contexts SET data = '[]' WHERE id = 'a';");
        await using var reopened = Open();

        var page = await reopened.ReadContextsAsync(null, 10, Ct);
        Assert.Equal("b", Assert.Single(page.Contexts).Id);
        Assert.Equal("a", Assert.Single(page.Unreadable).Id);
        Assert.Null(page.Next);
        Assert.Equal(2, (await reopened.ReadSummaryAsync(Ct)).ContextCount);
        var error = await Assert.ThrowsAsync<ContextStoreException>(() => reopened.ReadContextAsync("a", Ct));
        Assert.Contains(_database.Path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _database.Dispose();

    private SqliteContextStore Open() => new(new SqliteContextStoreOptions { Path = _database.Path });
}
