using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// A context grain's storage write fails in the middle of a batch: every caller of that batch gets an error, nothing
/// acknowledged is lost, and the next activation reads what storage holds.
/// </summary>
/// <remarks>
/// The batch is built deterministically: one patch's storage write is held (<see cref="Faults.StorageFaults"/>) while
/// the test sends more calls and waits until the grain has queued them all (<see cref="Faults.ContextCallCounter"/>);
/// released, the held write persists and the queued calls form the next batch, whose write the test fails, before or
/// after storage has it.
/// </remarks>
/// <param name="cluster">A cluster of the test class's own (the test arms faults in its storage).</param>
public sealed class BatchStorageFailureTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    private const int Queued = 32;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Batch_Whose_Write_Fails_Fails_Each_Of_Its_Writers_And_Storage_Decides_The_State(bool afterStorageHasIt)
    {
        var id = afterStorageHasIt ? "batch-fails-after" : "batch-fails-before";
        var contexts = cluster.Contexts;
        await contexts.CreateAsync(id, ContextContent.Parse("""{"log":[]}"""), Ct);
        var hold = cluster.Faults.HoldNextWrite(id);
        var first = contexts.PatchAsync(id, Append("first"), cancellationToken: Ct);
        await hold.Reached.WaitAsync(Ct);

        // Behind the held write: patches and blind writes (the batch's writes) and compare-and-sets at a version the
        // held write replaces (refusals decided in the batch).
        var calls = Enumerable.Range(0, Queued).Select(i => (Kind: i % 4, Call: (i % 4) switch
        {
            0 => contexts.UpdateAsync(id, ContextContent.Parse("""{"log":["stale"]}"""), expectedVersion: 1, Ct),
            1 => contexts.UpdateAsync(id, ContextContent.Parse($$"""{"log":["blind-{{i}}"]}"""), cancellationToken: Ct),
            _ => contexts.PatchAsync(id, Append($"patch-{i}"), cancellationToken: Ct),
        })).ToList();
        await cluster.Calls.QueuedAsync(id, 2 + Queued).WaitAsync(Ct);
        cluster.Faults.FailNextWrite(id, afterStorageHasIt);
        hold.Release();

        var acknowledged = await first;
        var outcomes = new List<(int Kind, Exception? Error)>();
        foreach (var (kind, call) in calls)
        {
            outcomes.Add((kind, await Record.ExceptionAsync(() => call)));
        }

        var writes = cluster.Faults.WritesOf(id);
        var failed = Assert.Single(writes, w => w.Failed);
        var final = await contexts.GetAsync(id, Ct);
        var next = await contexts.PatchAsync(id, Append("next"), cancellationToken: Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"storage writes: {string.Join(", ", writes.Select(w => $"{w.Versions} versions to v{w.Version}{(w.Failed ? " failed" : "")}{(w.Persisted ? "" : " not persisted")}"))}; final v{final.Version}");

        // The held write and the failed one: the failed write held every write queued behind the held one.
        var writers = outcomes.Where(o => o.Kind != 0).ToList();
        Assert.Equal((2L, """["first"]"""), (acknowledged.Version, acknowledged.Data.GetProperty("log").GetRawText()));
        Assert.Equal(writers.Count, failed.Versions);
        Assert.Equal(afterStorageHasIt, failed.Persisted);
        Assert.All(writers, w => Assert.IsType<ContextWriteOutcomeUnknownException>(w.Error));
        Assert.All(writers, w => Assert.Contains("injected storage failure", w.Error!.Message, StringComparison.Ordinal));

        // The refusals of the failed batch were decided again by the next activation, on what storage holds.
        Assert.All(outcomes.Where(o => o.Kind == 0), r => Assert.IsType<ContextVersionConflictException>(r.Error));

        // The next activation reads what storage holds: the acknowledged version, or the failed batch if it got there.
        Assert.Equal(afterStorageHasIt ? acknowledged.Version + writers.Count : acknowledged.Version, final.Version);
        Assert.Equal(failed.Persisted ? failed.Version : acknowledged.Version, final.Version);
        if (!afterStorageHasIt)
        {
            Assert.Equal(acknowledged.Data.GetRawText(), final.Data.GetRawText());
        }

        Assert.Equal(final.Version + 1, next.Version);
    }

    private static ContextPatch Append(string token) =>
        ContextPatch.Parse(ContextPatchKind.JsonPatch, $$"""[{"op":"add","path":"/log/-","value":{{JsonSerializer.Serialize(token)}}}]""");
}
