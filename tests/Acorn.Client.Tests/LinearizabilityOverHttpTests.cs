using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Testing.Linearizability;
using Acorn.Server.Tests;

namespace Acorn.Client.Tests;

/// <summary>
/// 16 clients, each its own <see cref="AcornClient"/>, read, compare-and-set, blind-write and read-modify-write 3
/// contexts of a server process at once; the recorded history must be linearizable per context
/// (<see cref="HistoryChecker"/>).
/// </summary>
/// <remarks>
/// Each client compares-and-sets at the last version it observed, so some of its writes win and some are refused, and
/// every write carries its own tag, so a read shows which write it saw. Clients start at one gate and keep their own
/// seeded random choice of operation and context.
/// </remarks>
public sealed class LinearizabilityOverHttpTests : ServerProcessTests
{
    private const string Key = "client-history-key-0123456789";
    private const int ContextCount = 3;
    private const int ClientCount = 16;
    private const int OperationsEach = 60;

    [Fact]
    public async Task Concurrent_reads_and_writes_of_16_clients_on_3_contexts_are_linearizable()
    {
        await using var server = await ServerProcess.StartAsync(Folder, Key);

        // Read-modify-writes of 16 processes contend on 3 contexts: give them room rather than fail the history.
        var clients = Enumerable.Range(0, ClientCount).Select(_ => Clients.Create(server.BaseAddress, Key, o => o.MaxUpdateAttempts = 500)).ToArray();
        var history = new OperationHistory();
        var ids = Enumerable.Range(0, ContextCount).Select(i => $"history-{i}").ToArray();
        foreach (var id in ids)
        {
            await history.RecordAsync(id, HistoryOperation.Create, null, async () => await clients[0].CreateAsync(id, Tagged("create"), Ct));
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, ClientCount)
            .Select(c => Task.Run(async () =>
            {
                await gate.Task;
                await RunClientAsync(clients[c], history, ids, c);
            }, Ct))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(running);
        foreach (var id in ids)
        {
            // A read after every answer: the real-time check makes it show the last write.
            await history.RecordAsync(id, HistoryOperation.Read, null, async () => await clients[0].GetAsync(id, Ct));
        }

        var entries = history.Entries;
        var violations = HistoryChecker.Check(entries);
        var cas = entries.Where(e => e.Operation == HistoryOperation.CompareAndSet).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{entries.Count} operations, {entries.Count(e => e.Wrote)} writes, compare-and-set {cas.Count(e => !e.Refused)} written / {cas.Count(e => e.Refused)} refused");

        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Equal(ContextCount + (ClientCount * OperationsEach) + ContextCount, entries.Count);
        // Without both outcomes the compare-and-set checks would have checked nothing.
        Assert.Contains(cas, e => e.Refused);
        Assert.Contains(cas, e => !e.Refused);
        // A read-modify-write computes from the state it replaces: the one at the version before its own.
        Assert.All(entries.Where(e => e.Operation == HistoryOperation.ReadModifyWrite),
            e => Assert.Equal(e.Version - 1, e.Data!.Value.GetProperty("after").GetInt64()));
    }

    private static async Task RunClientAsync(AcornClient client, OperationHistory history, string[] ids, int seed)
    {
        var random = new Random(seed);
        var lastSeen = ids.ToDictionary(id => id, _ => 1L);
        for (var i = 0; i < OperationsEach; i++)
        {
            var id = ids[random.Next(ids.Length)];
            var tag = $"{seed}:{i}";
            var kind = random.Next(10) switch
            {
                < 3 => HistoryOperation.Read,
                < 6 => HistoryOperation.CompareAndSet,
                < 8 => HistoryOperation.BlindWrite,
                _ => HistoryOperation.ReadModifyWrite,
            };
            var expected = kind == HistoryOperation.CompareAndSet ? lastSeen[id] : (long?)null;
            try
            {
                var state = await history.RecordAsync(id, kind, expected, kind switch
                {
                    HistoryOperation.Read => async () => await client.GetAsync(id, Ct),
                    HistoryOperation.ReadModifyWrite => async () => await client.UpdateAsync(id, s => Tagged(tag, after: s.Version), Ct),
                    _ => async () => await client.UpdateAsync(id, Tagged(tag), expected, Ct),
                });
                lastSeen[id] = state.Version;
            }
            catch (ContextVersionConflictException conflict)
            {
                lastSeen[id] = conflict.ActualVersion;
            }
        }
    }

    private static ContextContent Tagged(string tag, long? after = null) => new(after is { } version
        ? JsonSerializer.SerializeToElement(new { tag, after = version })
        : JsonSerializer.SerializeToElement(new { tag }));
}
