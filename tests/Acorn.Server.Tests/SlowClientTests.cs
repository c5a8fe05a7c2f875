using System.Net;

namespace Acorn.Server.Tests;

/// <summary>A server whose event log keeps only 16 changes, so a stalled client falls behind it quickly.</summary>
public sealed class SmallEventWindowServerFixture : ServerFixture
{
    public SmallEventWindowServerFixture() => ExtraArguments.Add("--Acorn:Server:EventReplayWindow=16");
}

/// <summary>A client that stops reading its event stream never slows writers; when it reads again it is told it lagged.</summary>
public sealed class SlowClientTests(SmallEventWindowServerFixture server) : IClassFixture<SmallEventWindowServerFixture>
{
    private const int Writers = 16;
    private const int UpdatesPerWriter = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writers_finish_while_a_stream_is_not_read_and_the_stream_then_gets_a_reset()
    {
        using var client = server.CreateClient();
        var padding = new string('p', 16 * 1024);
        await using var stalled = await SseReader.OpenAsync(client, "/events");

        // 1,600 changes of 16 KiB each: far more than loopback socket buffers hold, so the stream's writes stall.
        var statuses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            using var writer = server.CreateClient();
            var id = Http.UniqueId($"slow-{w}");
            var results = new List<HttpStatusCode> { (await writer.CreateAsync(id)).StatusCode };
            for (var n = 0; n < UpdatesPerWriter; n++)
            {
                results.Add((await writer.PutAsync(id, $$"""{"n":{{n}},"pad":"{{padding}}"}""")).StatusCode);
            }

            return results;
        }, Ct)));

        Assert.All(statuses.SelectMany(s => s), s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK, $"A write answered {s}."));
        var names = new List<string>();
        while (!names.Contains("reset"))
        {
            names.Add((await stalled.NextAsync()).Name);
            Assert.True(names.Count <= Writers * (UpdatesPerWriter + 1), "The stalled stream replayed every change instead of reporting that it lagged.");
        }
    }
}
