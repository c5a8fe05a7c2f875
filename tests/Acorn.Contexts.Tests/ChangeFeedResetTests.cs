namespace Acorn.Contexts.Tests;

/// <summary>
/// A subscriber that fell behind learns where it lost changes: a reset stands exactly where they were dropped. A feed
/// whose source failed ends its subscriptions with the source's error.
/// </summary>
public sealed class ChangeFeedResetTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_full_buffer_drops_its_oldest_and_a_reset_takes_their_place_before_the_changes_after_them()
    {
        var feed = new ContextChangeFeed(capacity: 3);
        using var subscription = feed.Subscribe("a");
        for (var version = 1; version <= 10; version++)
        {
            feed.Publish(ContextChangeKind.Updated, "a", version, null, At);
        }

        var read = Drain(subscription);
        feed.Publish(ContextChangeKind.Updated, "a", 11, null, At);
        var later = Drain(subscription);

        Assert.Equal(
            [(ContextChangeKind.Reset, 7L, 0L), (ContextChangeKind.Updated, 8L, 8L), (ContextChangeKind.Updated, 9L, 9L), (ContextChangeKind.Updated, 10L, 10L)],
            read.Select(c => (c.Kind, c.Sequence, c.Version)));
        Assert.Equal("a", read[0].ContextId);
        Assert.Equal(7, subscription.DroppedCount);
        Assert.Equal([11L], later.Select(c => c.Version));
    }

    [Fact]
    public async Task Under_a_flooding_writer_every_loss_is_announced_by_a_reset_just_before_the_next_change()
    {
        for (var round = 0; round < 20; round++)
        {
            var feed = new ContextChangeFeed(capacity: 8);
            using var subscription = feed.Subscribe(contextId: null);
            const int Published = 20_000;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                await gate.Task;
                for (var i = 0; i < Published / 2; i++)
                {
                    feed.Publish(ContextChangeKind.Updated, $"c{w}", i + 1, null, At);
                }
            })).ToArray();
            var reader = Task.Run(async () =>
            {
                await gate.Task;
                var read = new List<ContextChange>();
                while (read.Count == 0 || read[^1].Sequence < Published)
                {
                    if (subscription.TryRead(out var change))
                    {
                        read.Add(change);
                    }
                }

                return read;
            });
            gate.SetResult();
            await Task.WhenAll(writers);
            var changes = await reader.WaitAsync(TimeSpan.FromMinutes(1), Ct);

            // A reset is numbered as the last change lost, so every change follows the item before it (a change or a
            // reset) by exactly one; a reset may follow another when more were lost in between.
            long previous = 0;
            foreach (var change in changes)
            {
                Assert.True(
                    change.Kind == ContextChangeKind.Reset ? change.Sequence > previous : change.Sequence == previous + 1,
                    $"round {round}: {change.Kind} {change.Sequence} came after {previous}");
                previous = change.Sequence;
            }

            Assert.Equal(Published - subscription.DroppedCount, changes.Count(c => c.Kind != ContextChangeKind.Reset));
        }
    }

    [Fact]
    public async Task A_feed_completed_with_an_error_delivers_what_was_buffered_then_throws_it_even_to_later_subscribers()
    {
        var feed = new ContextChangeFeed(capacity: 16);
        using var subscription = feed.Subscribe(contextId: null);
        feed.Publish(ContextChangeKind.Created, "a", 1, null, At);
        var gone = new ContextStoreException(null, "the source went away");

        feed.Complete(gone);
        feed.Publish(ContextChangeKind.Updated, "a", 2, null, At);
        var read = new List<long>();
        var thrown = await Assert.ThrowsAsync<ContextStoreException>(async () =>
        {
            await foreach (var change in subscription.ReadAllAsync(Ct))
            {
                read.Add(change.Version);
            }
        });
        using var late = feed.Subscribe("a");

        Assert.Equal([1L], read);
        Assert.Same(gone, thrown);
        Assert.Same(gone, (await Assert.ThrowsAsync<ContextStoreException>(() => subscription.Completion)));
        Assert.Same(gone, (await Assert.ThrowsAsync<ContextStoreException>(() => late.Completion)));
    }

    [Fact]
    public void A_reset_from_the_source_reaches_the_subscriptions_it_concerns_and_dispose_cancels_Unsubscribed()
    {
        var feed = new ContextChangeFeed(capacity: 16);
        using var all = feed.Subscribe(contextId: null);
        using var a = feed.Subscribe("a");
        var b = feed.Subscribe("b");

        feed.Publish(ContextChangeKind.Reset, "", 0, null, At);
        feed.Publish(ContextChangeKind.Reset, "a", 0, null, At);
        b.Dispose();

        Assert.Equal(["", "a"], Drain(all).Select(c => c.ContextId));
        Assert.Equal(["", "a"], Drain(a).Select(c => c.ContextId));
        Assert.Equal([""], Drain(b).Select(c => c.ContextId));
        Assert.True(b.Unsubscribed.IsCancellationRequested);
        Assert.False(a.Unsubscribed.IsCancellationRequested);
    }

    private static List<ContextChange> Drain(ContextChangeSubscription subscription)
    {
        var changes = new List<ContextChange>();
        while (subscription.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }
}
