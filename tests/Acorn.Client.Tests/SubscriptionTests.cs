using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acorn.Client.Tests;

/// <summary>
/// Subscriptions over the server's event stream: a silent stream is dropped and resumed with Last-Event-ID without
/// losing or repeating a change; a server that stays away ends the subscription with an error.
/// </summary>
public sealed class SubscriptionTests : InProcessServerTests
{
    private const int Disconnected = 6010;

    [Fact]
    public async Task A_silent_stream_reconnects_with_Last_Event_ID_and_delivers_every_change_once_in_order()
    {
        // The server's heartbeat is far apart and the client's patience short: between bursts of writes the stream
        // falls silent and the client drops and resumes it, again and again.
        await Server.StartAsync(["--Acorn:Server:EventHeartbeatInterval=00:01:00"]);
        var drops = new SignalingLoggerProvider(Disconnected);
        var client = Clients.Create(
            Server.BaseAddress!,
            configure: o => o.EventHeartbeatTimeout = TimeSpan.FromMilliseconds(300),
            services: s => s.AddLogging(logging => logging.AddProvider(drops)));
        const string Id = "resumed";
        using var changes = client.Subscribe(Id);
        var created = await client.CreateAsync(Id, Counter(0), Ct);

        const int Rounds = 6, WritesPerRound = 5;
        var last = created.Version;
        var written = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var dropped = drops.NextAsync();
            for (var i = 0; i < WritesPerRound; i++)
            {
                last = (await client.UpdateAsync(Id, Counter(++written), cancellationToken: Ct)).Version;
            }

            await dropped.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        var seen = new List<(ContextChangeKind Kind, long Version, long N)>();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var change in changes.ReadAllAsync(wait.Token))
        {
            seen.Add((change.Kind, change.Version, change.State is null ? -1 : change.State.Data.GetProperty("n").GetInt64()));
            if (change.Version == last)
            {
                break;
            }
        }

        Assert.True(drops.Count >= Rounds, $"the stream was dropped {drops.Count} times, not at least {Rounds}");
        Assert.DoesNotContain(seen, c => c.Kind == ContextChangeKind.Reset);
        Assert.Equal(
            Enumerable.Range(0, Rounds * WritesPerRound + 1).Select(i => created.Version + i),
            seen.Select(c => c.Version));
        Assert.All(seen, c => Assert.Equal(c.Version - created.Version, c.N));
    }

    [Fact]
    public async Task A_server_that_stays_away_ends_the_subscription_with_an_error_naming_it()
    {
        await Server.StartAsync();
        var client = Clients.Create(Server.BaseAddress!, configure: o => o.EventReconnectTimeout = TimeSpan.FromSeconds(1));
        using var changes = client.Subscribe();
        await client.CreateAsync("before", Counter(1), Ct);

        await Server.StopAsync();

        var received = new List<ContextChange>();
        var error = await Assert.ThrowsAsync<ContextStoreException>(async () =>
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromSeconds(60));
            await foreach (var change in changes.ReadAllAsync(wait.Token))
            {
                received.Add(change);
            }
        });

        Assert.Equal([("before", ContextChangeKind.Created)], received.Select(c => (c.ContextId, c.Kind)));
        Assert.Contains(Server.BaseAddress!.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("subscribe again", error.Message, StringComparison.Ordinal);
        Assert.True(changes.Completion.IsFaulted);
    }

    [Fact]
    public async Task A_subscriber_sees_its_own_writes_before_they_return()
    {
        await Server.StartAsync();
        var client = Clients.Create(Server.BaseAddress!);
        using var all = client.Subscribe();
        using var one = client.Subscribe("mine");

        var created = await client.CreateAsync("mine", Counter(1), Ct);
        Assert.True(all.TryRead(out var first), "the create returned before the all-contexts subscription had it");
        Assert.True(one.TryRead(out var second), "the create returned before the context's subscription had it");
        var updated = await client.UpdateAsync("mine", Counter(2), cancellationToken: Ct);
        var deleted = await client.DeleteAsync("mine", cancellationToken: Ct);

        Assert.Equal((ContextChangeKind.Created, created.Version), (first.Kind, first.Version));
        Assert.Equal((ContextChangeKind.Created, created.Version), (second.Kind, second.Version));
        Assert.True(one.TryRead(out var third));
        Assert.True(one.TryRead(out var fourth));
        Assert.Equal((ContextChangeKind.Updated, updated.Version), (third.Kind, third.Version));
        Assert.Equal((ContextChangeKind.Deleted, deleted.Version), (fourth.Kind, fourth.Version));
        Assert.Equal(updated.Version, deleted.Version);
    }

    private static ContextContent Counter(long n) => ContextContent.Parse($$"""{"n":{{n}}}""");
}
