using System.Diagnostics;
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
            var stored = (await store.LoadAsync(Ct)).Contexts.ToDictionary(s => s.Id);
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
        using var child = Process.Start(new ProcessStartInfo("dotnet", [CrashWriterPath(), _database.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var acks = new List<(string, long)>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstUpdate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (e.Data?.Split(' ') is ["ack", var id, var version])
            {
                lock (acks)
                {
                    acks.Add((id, long.Parse(version, System.Globalization.CultureInfo.InvariantCulture)));
                }

                if (ready.Task.IsCompleted)
                {
                    firstUpdate.TrySetResult();
                }
            }
        };
        child.BeginOutputReadLine();
        using var killOnFailure = Ct.Register(() => child.Kill());

        if (await Task.WhenAny(ready.Task, child.WaitForExitAsync(Ct)) != ready.Task)
        {
            Assert.Fail($"The crash writer exited before it was ready: {await child.StandardError.ReadToEndAsync(Ct)}");
        }

        // The random moment is measured from the first acknowledged update, so a slow start on a busy machine
        // cannot turn a round into one that checks nothing.
        if (await Task.WhenAny(firstUpdate.Task, Task.Delay(TimeSpan.FromMinutes(1), Ct)) != firstUpdate.Task)
        {
            Assert.Fail("The crash writer acknowledged no update within a minute.");
        }

        await Task.Delay(runFor, Ct);
        child.Kill(); // SIGKILL on Linux: no flush, no finally, no disposal.
        await child.WaitForExitAsync(Ct); // with BeginOutputReadLine this also waits for the last line to be read
        return acks;
    }

    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    private static string CrashWriterPath()
    {
        // tests/Acorn.Contexts.Sqlite.Tests/bin/<Configuration>/net10.0/ -> tests/Acorn.Contexts.Sqlite.CrashWriter/bin/<Configuration>/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Acorn.Contexts.Sqlite.CrashWriter", "bin", configuration, output.Name, "Acorn.Contexts.Sqlite.CrashWriter.dll");
        Assert.True(File.Exists(path), $"The crash writer is not built at {path}.");
        return path;
    }
}
