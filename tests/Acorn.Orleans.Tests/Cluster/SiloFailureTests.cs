using System.Collections.Concurrent;
using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// A silo stops, or dies in the middle of a batch, while 32 clients write one context: nothing acknowledged is lost,
/// and no version is acknowledged twice.
/// </summary>
/// <remarks>
/// Every write appends its own token to the context's log, half of them as a compare-and-set of the whole log, half as
/// a JSON Patch the grain applies (so the grain's batches hold many versions), so the final state shows which writes
/// landed and at which version. A write that failed with a store error may or may not have landed (the failure can
/// come after the commit); those are counted apart and may appear in the log, acknowledged ones must. When the silo is
/// killed, a batch's storage write is held at that moment and released afterwards: the dead activation's write then
/// reaches PostgreSQL behind the cluster's back, as a write in flight when a process dies does.
/// </remarks>
/// <param name="cluster">A cluster of the test class's own: the test takes one of its two silos away.</param>
public abstract class SiloFailureTests(PostgresCluster cluster)
{
    private const int Clients = 32;
    private const int WritesEach = 4;
    private const int AcksBeforeStop = Clients;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs the clients, takes away the silo hosting their context, and checks the log.</summary>
    /// <param name="hardKill">Kill the silo (no graceful deactivation) instead of stopping it.</param>
    protected async Task LosingTheHostingSiloLosesNoAcknowledgedWriteAsync(bool hardKill)
    {
        var contexts = cluster.Contexts;
        var id = hardKill ? "silo-kill" : "silo-stop";
        await contexts.CreateAsync(id, ContextContent.Parse("""{"log":[]}"""), Ct);
        var victim = cluster.Cluster.Silos[1];
        var grain = cluster.Cluster.Client.GetGrain<IContextGrain>(id);
        var management = cluster.Cluster.Client.GetGrain<IManagementGrain>(0);
        if (await management.GetActivationAddress(grain, Ct) != victim.SiloAddress)
        {
            // MigrateAsync to the silo that already hosts the grain waits for a move that never comes: ask only when needed.
            await cluster.Cluster.MigrateAsync(grain, victim.SiloAddress);
        }

        Assert.Equal(victim.SiloAddress, await management.GetActivationAddress(grain, Ct));
        var acks = new ConcurrentDictionary<string, long>();
        var ambiguous = new ConcurrentBag<string>();
        var enoughAcks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Clients)
            .Select(c => Task.Run(() => WriteTokensAsync(contexts, id, c, acks, ambiguous, enoughAcks), Ct))
            .ToArray();

        await enoughAcks.Task.WaitAsync(Ct);
        if (hardKill)
        {
            var inFlight = cluster.Faults.HoldNextWrite(id);
            await inFlight.Reached.WaitAsync(Ct);
            await cluster.Cluster.KillSiloAsync(victim, Ct);
            inFlight.Release();
        }
        else
        {
            await cluster.Cluster.StopSiloAsync(victim, Ct);
        }

        await Task.WhenAll(writers);

        var final = await contexts.GetAsync(id, Ct);
        var log = final.Data.GetProperty("log").EnumerateArray().Select(t => t.GetString()!).ToList();
        var writes = cluster.Faults.WritesOf(id);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acknowledged {acks.Count}, failed with a store error {ambiguous.Count}, final version {final.Version}; " +
            $"{writes.Count} storage writes, at most {writes.Max(w => w.Versions)} versions in one, {writes.Count(w => w.Failed)} failed");
        Assert.False(victim.IsActive);
        Assert.Equal(Clients * WritesEach, acks.Count + ambiguous.Count);
        Assert.True(acks.Count > AcksBeforeStop, $"only {acks.Count} writes were acknowledged: the cluster stopped taking writes");
        Assert.Equal(acks.Count, acks.Values.Distinct().Count());
        Assert.Equal(log.Count, log.Distinct().Count());
        Assert.Equal(final.Version - 1, log.Count);
        Assert.All(acks, ack => Assert.Equal(ack.Key, log[(int)ack.Value - 2]));
        Assert.All(log.Except(acks.Keys), token => Assert.Contains(token, ambiguous));
    }

    private static async Task WriteTokensAsync(
        ContextGrainClient contexts, string id, int client, ConcurrentDictionary<string, long> acks, ConcurrentBag<string> ambiguous,
        TaskCompletionSource enoughAcks)
    {
        for (var i = 0; i < WritesEach; i++)
        {
            var token = $"{client}:{i}";
            while (true)
            {
                // A failed read fails the test: the client retries reads until the dead silo's grain lives elsewhere.
                var current = client % 2 == 0 ? await contexts.GetAsync(id, Ct) : null;
                try
                {
                    var written = current is not null
                        ? await contexts.UpdateAsync(id, Append(current, token), current.Version, Ct)
                        : await contexts.PatchAsync(id, AppendPatch(token), cancellationToken: Ct);
                    acks[token] = written.Version;
                    if (acks.Count >= AcksBeforeStop)
                    {
                        enoughAcks.TrySetResult();
                    }

                    break;
                }
                catch (ContextVersionConflictException)
                {
                    // Another client wrote first: read again.
                }
                catch (ContextStoreException)
                {
                    ambiguous.Add(token);
                    break;
                }
            }
        }
    }

    private static ContextPatch AppendPatch(string token) =>
        ContextPatch.Parse(ContextPatchKind.JsonPatch, $$"""[{"op":"add","path":"/log/-","value":"{{token}}"}]""");

    private static ContextContent Append(ContextState state, string token)
    {
        var log = state.Data.GetProperty("log").EnumerateArray().Select(t => t.GetString()!).Append(token).ToArray();
        return new ContextContent(JsonSerializer.SerializeToElement(new { log }));
    }
}
