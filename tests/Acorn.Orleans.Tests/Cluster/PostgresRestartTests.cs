using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// PostgreSQL stops under running increment clients and comes back: writes fail with a clear error while it is down,
/// succeed again after the restart, and no acknowledged increment is lost.
/// </summary>
/// <remarks>
/// Every write is an increment of a counter (compare-and-set on the version read), so a context's counter is its
/// version minus one, and the final counter says how many writes landed. A write that failed with a store error may
/// or may not have landed (the connection can break after the commit): those are counted apart, and the final
/// counter must lie between the acknowledged count and the acknowledged plus those. The phases only wait for counts
/// (no timing asserts), so a slow machine makes the test longer, not flaky. PostgreSQL stops while a storage write of
/// several versions (a batch of eight clients' writes) is held on its way, so that write meets the stopped server.
/// </remarks>
/// <param name="cluster">A cluster of the test class's own: the test stops its PostgreSQL.</param>
public sealed class PostgresRestartTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    private const int ContextCount = 3;
    private const int ClientsPerContext = 8;
    private const int AcksPerPhase = 15;
    private const int FailuresWhileDown = 5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_Fail_Clearly_While_Postgres_Is_Down_And_No_Acknowledged_Write_Is_Lost()
    {
        var ids = Enumerable.Range(0, ContextCount).Select(i => $"pg-restart-{i}").ToArray();
        foreach (var id in ids)
        {
            await cluster.Contexts.CreateAsync(id, ContextContent.Parse("""{"n":0}"""), Ct);
        }

        var run = new IncrementRun(cluster.Contexts);
        var clients = Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, ClientsPerContext)
            .Select(c => Task.Run(() => run.IncrementUntilDoneAsync(id, readModifyWrite: c % 2 == 1, Ct), Ct))));

        await WaitUntilAsync(() => ids.All(id => run.Tally(id).AcksIn(IncrementRun.Phase.Up) >= AcksPerPhase), clients);
        var inFlight = await HoldABatchAsync(ids[0]);
        run.Enter(IncrementRun.Phase.Stopping);
        await cluster.Server.StopAsync(Ct);
        inFlight.Release();
        run.Enter(IncrementRun.Phase.Down);
        await WaitUntilAsync(() => ids.All(id => run.Tally(id).FailuresIn(IncrementRun.Phase.Down) >= FailuresWhileDown), clients);
        run.Enter(IncrementRun.Phase.Restarted);
        await cluster.Server.RestartAsync(Ct);
        await WaitUntilAsync(() => ids.All(id => run.Tally(id).AcksIn(IncrementRun.Phase.Restarted) >= AcksPerPhase), clients);
        run.Finish();
        await clients;

        Assert.Contains(cluster.Faults.WritesOf(ids[0]), w => w.Failed && !w.Persisted && w.Versions == inFlight.Versions);
        foreach (var id in ids)
        {
            var tally = run.Tally(id);
            var final = await cluster.Contexts.GetAsync(id, Ct);
            var counter = final.Data.GetProperty("n").GetInt64();
            var versions = tally.Acks.Select(a => a.Version).ToList();
            var storageWrites = cluster.Faults.WritesOf(id);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{id}: {storageWrites.Count} storage writes, {storageWrites.Count(w => w.Failed)} failed, holding " +
                $"{string.Join("+", storageWrites.Where(w => w.Failed).Select(w => w.Versions))} versions; " +
                $"acknowledged {versions.Count} ({tally.AcksIn(IncrementRun.Phase.Down)} invoked while down), unknown outcome {tally.UnknownWrites}, " +
                $"failed while down {tally.FailuresIn(IncrementRun.Phase.Down)}, final version {final.Version}, counter {counter}; " +
                $"first error while down: {tally.FirstMessageWhileDown}");

            // A write invoked while storage is down may wait and be answered once it is back (seen on a loaded machine:
            // 3 of them in one run); none may be answered while it is down.
            Assert.Equal(0, tally.AcksWhileDown);

            // The storage provider's own error crosses the grain boundary (AddAcornStorageErrors), not "no codec".
            Assert.DoesNotContain("codec", tally.FirstMessageWhileDown, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(final.Version - 1, counter);
            Assert.Equal(versions.Count, versions.Distinct().Count());
            Assert.All(tally.Acks, a => Assert.Equal(a.Version - 1, a.Counter));
            Assert.True(versions.Max() <= final.Version, $"{id}: acknowledged version {versions.Max()} is newer than the final {final.Version}");
            Assert.InRange(counter, versions.Count, versions.Count + tally.UnknownWrites);
        }
    }

    /// <summary>Holds storage writes of <paramref name="id"/> one by one, letting them go, until one holds more than one version.</summary>
    private async Task<Faults.WriteHold> HoldABatchAsync(string id)
    {
        while (true)
        {
            var hold = cluster.Faults.HoldNextWrite(id);
            await hold.Reached.WaitAsync(Ct);
            if (hold.Versions > 1)
            {
                return hold;
            }

            hold.Release();
        }
    }

    /// <summary>Waits for a count the clients reach; a client that failed ends the wait with its exception.</summary>
    private static async Task WaitUntilAsync(Func<bool> reached, Task clients)
    {
        while (!reached())
        {
            if (clients.IsCompleted)
            {
                await clients;
                Assert.Fail("the clients stopped before the count was reached");
            }

            await Task.Delay(10, Ct);
        }
    }
}
