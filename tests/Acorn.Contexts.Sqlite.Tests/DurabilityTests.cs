using Acorn.Contexts.Testing;
using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>DESIGN invariant 1: a write that returned success survives a process kill.</summary>
public sealed class DurabilityTests : IDisposable
{
    private const int Rounds = 20;
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AcknowledgedWrites_SurviveSigkillAtRandomMoments_AndTheFileStaysIntact()
    {
        var random = new Random(20261123);
        var acknowledged = new Dictionary<string, long>();
        for (var round = 0; round < Rounds; round++)
        {
            var acks = await RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(50, 600)));
            Assert.True(acks.Count > 0, $"round {round}: the writer acknowledged nothing before it was killed");
            foreach (var (id, version) in acks)
            {
                acknowledged[id] = Math.Max(acknowledged.GetValueOrDefault(id), version);
            }

            Assert.Equal("ok", IntegrityCheck());
            await using var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path });
            var stored = (await store.ReadAllAsync(Ct)).ToDictionary(s => s.Id);
            foreach (var (id, version) in acknowledged)
            {
                Assert.True(stored.TryGetValue(id, out var state), $"round {round}: acknowledged context {id} is missing");
                Assert.True(state.Version >= version, $"round {round}: {id} acknowledged at version {version} but stored at {state.Version}");
                Assert.Equal(state.Version - 1, state.Data.GetProperty("n").GetInt64());
            }
        }
    }

    public void Dispose() => _database.Dispose();

    private async Task<List<(string Id, long Version)>> RunAndKillAsync(TimeSpan runFor)
    {
        using var child = CrashWriterProcess.Start(_database.Path);
        using var killOnFailure = Ct.Register(child.Kill);
        await child.WaitUntilReadyAsync(Ct);

        // The random moment is measured from the first acknowledged update, so a slow start on a busy machine
        // cannot turn a round into one that checks nothing.
        if (await Task.WhenAny(child.FirstUpdate, Task.Delay(TimeSpan.FromMinutes(1), Ct)) != child.FirstUpdate)
        {
            Assert.Fail("The crash writer acknowledged no update within a minute.");
        }

        await Task.Delay(runFor, Ct);
        await child.KillAsync(Ct);
        return child.Acknowledged;
    }

    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }
}
