using System.Globalization;
using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>One writer per database file: a second store, in this process or another, is refused and told who holds it.</summary>
public sealed class DatabaseFileLockTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SecondStoreInThisProcess_IsRefused_AndTheFirstKeepsTheFile_UntilItIsDisposed()
    {
        var first = new SqliteContextStore(Options());
        var manager = new ContextManager(first);
        await manager.CreateAsync("a", ContextContent.Parse("""{"n":1}"""), Ct);

        var refused = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(Options()));

        Assert.Contains("already open in this process", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_database.Path, refused.Message, StringComparison.Ordinal);

        // The refusal must not have dropped the first store's lock: another process is still turned away.
        using (var child = CrashWriterProcess.Start(_database.Path))
        {
            var (exitCode, error) = await child.WaitForExitAsync(Ct);
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"in use by process {Environment.ProcessId} (", error, StringComparison.Ordinal);
        }

        await manager.UpdateAsync("a", ContextContent.Parse("""{"n":2}"""), cancellationToken: Ct);
        await first.DisposeAsync();
        await using var reopened = new SqliteContextStore(Options());
        Assert.Equal(2, Assert.Single(await reopened.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task AnotherProcessWriting_IsNamedByItsProcessId_AndItsSigkillFreesTheFile()
    {
        using var child = CrashWriterProcess.Start(_database.Path);
        await child.WaitUntilReadyAsync(Ct);
        await child.FirstUpdate;

        var refused = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(Options()));

        Assert.Contains($"is in use by process {child.Id} (", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_database.Path, refused.Message, StringComparison.Ordinal);

        // A killed holder leaves no stale lock: the kernel drops it with the process.
        await child.KillAsync(Ct);
        await using var store = new SqliteContextStore(Options());
        var stored = (await store.ReadAllAsync(Ct)).ToDictionary(s => s.Id);
        foreach (var (id, version) in child.Acknowledged)
        {
            Assert.True(stored[id].Version >= version, string.Create(CultureInfo.InvariantCulture, $"{id} acknowledged at {version}"));
        }
    }

    [Fact]
    public async Task StoreThatFailsToOpen_ReleasesTheFile()
    {
        await (new SqliteContextStore(Options())).DisposeAsync();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 999;";
            command.ExecuteNonQuery();
        }

        var newer = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(Options()));
        Assert.DoesNotContain("already open", newer.Message, StringComparison.Ordinal);

        var again = Assert.Throws<ContextStoreException>(() => new SqliteContextStore(Options()));
        Assert.Equal(newer.Message, again.Message);
    }

    public void Dispose() => _database.Dispose();

    private SqliteContextStoreOptions Options() => new() { Path = _database.Path };
}
