using System.Diagnostics;
using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Processes;

/// <summary>
/// <c>kill -9</c> of one of 3 silo processes under contexts it hosts: reads through <see cref="OrleansContextManager"/>
/// right after the kill all succeed (slower while the membership declares the silo dead), and patches sent at the same
/// moment, retried only when they provably never reached a grain, are never applied twice.
/// </summary>
/// <param name="cluster">Silo processes of the test class's own: the test kills one.</param>
public sealed class KilledSiloTests(SiloProcessCluster cluster) : IClassFixture<SiloProcessCluster>
{
    private const int ContextCount = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_Right_After_A_Silo_Process_Is_Killed_All_Succeed_And_No_Write_Applies_Twice()
    {
        var manager = new OrleansContextManager(cluster.Client);
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var ids = Enumerable.Range(0, ContextCount).Select(i => $"k{i}").ToArray();
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, ContextContent.Parse("""{"log":[]}"""), Ct);
            await manager.PatchAsync(id, Append("before"), cancellationToken: Ct);
        }

        // The silo hosting the most of them dies (ports tell which process a silo address is).
        var hosts = await Task.WhenAll(ids.Select(id => management.GetActivationAddress(cluster.Client.GetGrain<IContextGrain>(id), Ct).AsTask()));
        var victimAddress = hosts.GroupBy(h => h).OrderByDescending(g => g.Count()).First().Key!;
        var victim = cluster.Silos.Single(s => File.ReadAllText(s.Log).Contains($"silo port {victimAddress.Endpoint.Port},", StringComparison.Ordinal));
        var onVictim = ids.Where((_, i) => hosts[i] == victimAddress).ToHashSet();
        victim.Kill();
        var clock = Stopwatch.StartNew();

        // Reads and patches sent as the silo dies (a patch may be on its way through it: its outcome may be unknown),
        // then patches sent once every read has answered (the grains live elsewhere by then: they are acknowledged).
        var reads = ids.Select(async id => (State: await manager.GetAsync(id, Ct), Took: clock.Elapsed)).ToArray();
        var patchesAtTheKill = ids.Select(id => Record.ExceptionAsync(async () => await manager.PatchAsync(id, Append($"at-{id}"), cancellationToken: Ct)).AsTask()).ToArray();
        var read = await Task.WhenAll(reads);
        var patchesAfter = await Task.WhenAll(ids.Select(id => manager.PatchAsync(id, Append($"after-{id}"), cancellationToken: Ct).AsTask()));
        var atTheKill = await Task.WhenAll(patchesAtTheKill);
        var finals = await Task.WhenAll(ids.Select(id => manager.GetAsync(id, Ct).AsTask()));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{onVictim.Count} of {ContextCount} contexts on the killed silo; their reads took up to " +
            $"{read.Where((_, i) => onVictim.Contains(ids[i])).Max(r => r.Took).TotalSeconds:0.0} s, the others' up to " +
            $"{read.Where((_, i) => !onVictim.Contains(ids[i])).Select(r => r.Took.TotalSeconds).DefaultIfEmpty().Max():0.0} s; " +
            $"patches sent with the kill: {atTheKill.Count(e => e is null)} acknowledged, " +
            string.Join(", ", atTheKill.OfType<Exception>().GroupBy(e => e.GetType().Name).Select(g => $"{g.Count()} {g.Key}")) +
            $"; {atTheKill.OfType<Exception>().FirstOrDefault()?.Message}");

        Assert.False(victim.IsAlive);
        Assert.NotEmpty(onVictim);

        // Every read answered with what was acknowledged before the kill (and perhaps the patch sent with it).
        Assert.All(read, r => Assert.Equal("before", Log(r.State)[0]));
        for (var i = 0; i < ContextCount; i++)
        {
            var log = Log(finals[i]);
            var at = log.Count(token => token == $"at-{ids[i]}");

            // A write is applied once; when its outcome is unknown, at most once; when it was refused, not at all.
            Assert.Equal(finals[i].Version - 1, log.Count);
            Assert.Equal(1, log.Count(token => token == $"after-{ids[i]}"));
            Assert.Equal($"after-{ids[i]}", log[(int)patchesAfter[i].Version - 2]);
            Assert.True(atTheKill[i] is null ? at == 1 : at <= 1, $"{ids[i]}: [{string.Join(",", log)}] after {atTheKill[i]}");
            Assert.True(atTheKill[i] is null or ContextStoreException, $"{ids[i]}: {atTheKill[i]}");
        }
    }

    private static List<string> Log(ContextState state) => [.. state.Data.GetProperty("log").EnumerateArray().Select(t => t.GetString()!)];

    private static ContextPatch Append(string token) =>
        ContextPatch.Parse(ContextPatchKind.JsonPatch, $$"""[{"op":"add","path":"/log/-","value":{{JsonSerializer.Serialize(token)}}}]""");
}
