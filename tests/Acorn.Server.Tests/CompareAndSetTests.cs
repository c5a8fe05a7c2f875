using System.Net;

namespace Acorn.Server.Tests;

/// <summary>ETag/If-Match as compare-and-set under contention: every successful write is counted exactly once.</summary>
public sealed class CompareAndSetTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const int Clients = 32;
    private const int AttemptsPerClient = 15;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_cas_increments_end_at_the_number_of_successful_writes()
    {
        using var setup = server.CreateClient();
        var id = Http.UniqueId("counter");
        await setup.CreateAsync(id, """{"n":0}""");
        using var start = new Barrier(Clients);

        var results = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            var successes = new List<long>();
            var conflicts = 0;
            start.SignalAndWait(Ct);
            for (var attempt = 0; attempt < AttemptsPerClient; attempt++)
            {
                var read = await client.GetAsync($"/contexts/{id}", Ct);
                var etag = read.ETag()!;
                var n = (await read.ReadJsonAsync()).GetProperty("data").GetProperty("n").GetInt64();
                var write = await client.PutAsync(id, $$"""{"n":{{n + 1}}}""", etag);
                if (write.StatusCode == HttpStatusCode.OK)
                {
                    var written = await write.ReadJsonAsync();
                    Assert.Equal(long.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture) + 1, written.GetProperty("version").GetInt64());
                    successes.Add(written.GetProperty("version").GetInt64());
                }
                else
                {
                    Assert.Equal(HttpStatusCode.PreconditionFailed, write.StatusCode);
                    conflicts++;
                }
            }

            return (successes, conflicts);
        }, Ct)));

        var versions = results.SelectMany(r => r.successes).Order().ToList();
        var final = await (await setup.GetAsync($"/contexts/{id}", Ct)).ReadJsonAsync();
        Assert.Equal(versions.Count, final.GetProperty("data").GetProperty("n").GetInt64());
        Assert.Equal(versions.Count + 1, final.GetProperty("version").GetInt64());
        Assert.Equal(Enumerable.Range(2, versions.Count).Select(v => (long)v), versions);
        Assert.Equal(Clients * AttemptsPerClient, versions.Count + results.Sum(r => r.conflicts));
        Assert.True(results.Sum(r => r.conflicts) > 0, "32 clients racing on one context never conflicted: the test did not contend.");
    }
}
