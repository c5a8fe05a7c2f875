using Acorn.Contexts;

namespace Acorn.Client.Tests;

/// <summary>
/// Expiry over HTTP with the server's real clock and its own sweeper (every 200 ms here): what the contract suite,
/// which moves a fake clock, cannot show through a client.
/// </summary>
public sealed class ExpiryOverHttpTests(ExpiryOverHttpTests.SweepingServer server) : ClientTests, IClassFixture<ExpiryOverHttpTests.SweepingServer>
{
    [Fact]
    public async Task A_context_with_a_short_time_to_live_expires_and_the_subscriber_sees_the_sweep()
    {
        var client = Clients.Create(server.BaseAddress);
        var id = SharedServer.UniqueId("short");
        using var changes = client.Subscribe(id);

        var created = await client.CreateAsync(id, ContextContent.Parse("""{"n":1}""") with { TimeToLive = TimeSpan.FromSeconds(1) }, Ct);

        Assert.Equal(created.CreatedAt.AddSeconds(1), created.ExpiresAt);
        var seen = new List<ContextChangeKind>();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var change in changes.ReadAllAsync(wait.Token))
        {
            seen.Add(change.Kind);
            if (change.Kind == ContextChangeKind.Expired)
            {
                Assert.Equal((id, created.Version, (ContextState?)null), (change.ContextId, change.Version, change.State));
                break;
            }
        }

        Assert.Equal([ContextChangeKind.Created, ContextChangeKind.Expired], seen);
        Assert.Null(await client.FindAsync(id, Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await client.UpdateAsync(id, ContextContent.Parse("{}"), cancellationToken: Ct));
    }

    [Fact]
    public async Task A_time_to_live_is_set_kept_or_cleared_as_the_write_says()
    {
        var client = Clients.Create(server.BaseAddress);
        var id = SharedServer.UniqueId("ttl");

        var forever = await client.CreateAsync(id, ContextContent.Parse("{}") with { TimeToLive = Timeout.InfiniteTimeSpan }, Ct);
        var hour = await client.UpdateAsync(id, ContextContent.Parse("{}") with { TimeToLive = TimeSpan.FromHours(1) }, cancellationToken: Ct);
        var kept = await client.UpdateAsync(id, ContextContent.Parse("""{"n":1}"""), cancellationToken: Ct);
        var cleared = await client.UpdateAsync(id, ContextContent.Parse("""{"n":2}""") with { TimeToLive = Timeout.InfiniteTimeSpan }, cancellationToken: Ct);

        Assert.Null(forever.ExpiresAt);
        Assert.Equal(hour.UpdatedAt.AddHours(1), hour.ExpiresAt);
        Assert.Equal(hour.ExpiresAt, kept.ExpiresAt);
        Assert.Null(cleared.ExpiresAt);
    }

    [Theory]
    [InlineData(-5.0, "positive")]
    [InlineData(0.0, "positive")]
    [InlineData(200 * 365.0 * 24 * 3600, "100 years")]
    public async Task A_time_to_live_that_is_not_positive_or_out_of_range_is_refused_and_nothing_is_created(double seconds, string named)
    {
        var client = Clients.Create(server.BaseAddress);
        var id = SharedServer.UniqueId("bad-ttl");

        var error = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await client.CreateAsync(id, ContextContent.Parse("{}") with { TimeToLive = TimeSpan.FromSeconds(seconds) }, Ct));

        Assert.Contains("timeToLive", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(id, error.ContextId);
        Assert.Null(await client.FindAsync(id, Ct));
    }

    [Fact]
    public async Task RemoveExpiredAsync_is_not_supported_and_says_the_server_sweeps()
    {
        var client = Clients.Create(server.BaseAddress);

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await client.RemoveExpiredAsync(Ct));

        Assert.Contains("sweeper", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.BaseAddress.ToString(), error.Message, StringComparison.Ordinal);
    }

    /// <summary>A server whose sweeper runs every 200 ms.</summary>
    public sealed class SweepingServer : SharedServer
    {
        protected override IEnumerable<string> Settings => ["--Acorn:Contexts:ExpirySweepInterval=00:00:00.200"];
    }
}
