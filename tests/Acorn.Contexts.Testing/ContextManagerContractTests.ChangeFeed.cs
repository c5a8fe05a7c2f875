namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    [Fact]
    public async Task ChangeFeed_DeliversEachKindInOrder_FilteredByContext()
    {
        var manager = await NewManagerAsync();
        using var all = manager.Subscribe();
        using var onlyA = manager.Subscribe("a");

        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.CreateAsync("b", Counter(1), Ct);
        await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct);
        var point = await manager.CreateRecoveryPointAsync("a", Ct);
        await manager.RestoreAsync("a", point.Id, cancellationToken: Ct);
        await manager.DeleteAsync("a", cancellationToken: Ct);

        var seenByA = Drain(onlyA);
        Assert.Equal(
            [(ContextChangeKind.Created, 1L), (ContextChangeKind.Updated, 2L), (ContextChangeKind.Restored, 3L), (ContextChangeKind.Deleted, 3L)],
            seenByA.Select(c => (c.Kind, c.Version)));
        Assert.Null(seenByA[^1].State);
        var seenByAll = Drain(all);
        Assert.Equal(5, seenByAll.Count);
        Assert.Equal(seenByAll.Select(c => c.Sequence).Order(), seenByAll.Select(c => c.Sequence));
    }

    [Fact]
    public async Task SlowSubscriber_NeverBlocksWriters_AndKeepsTheNewestChanges()
    {
        var manager = await NewManagerAsync(new ContextOptions { ChangeFeedCapacity = 4 });
        using var slow = manager.Subscribe("a");
        await manager.CreateAsync("a", Counter(0), Ct);
        for (var i = 1; i < 100; i++)
        {
            await manager.UpdateAsync("a", Counter(i), cancellationToken: Ct);
        }

        // The oldest 96 were dropped; a reset stands in their place, before the 4 kept, so the subscriber knows to re-read.
        var kept = Drain(slow);
        Assert.Equal(
            [(ContextChangeKind.Reset, 0L), (ContextChangeKind.Updated, 97L), (ContextChangeKind.Updated, 98L), (ContextChangeKind.Updated, 99L), (ContextChangeKind.Updated, 100L)],
            kept.Select(c => (c.Kind, c.Version)));
        Assert.Equal(("a", (ContextState?)null), (kept[0].ContextId, kept[0].State));
        Assert.True(kept[0].Sequence < kept[1].Sequence, $"the reset ({kept[0].Sequence}) is numbered after the change it precedes ({kept[1].Sequence})");
        Assert.Equal(96, slow.DroppedCount);
    }

    [Fact]
    public async Task DisposedSubscription_EndsItsEnumeration_AndReceivesNothingMore()
    {
        var manager = await NewManagerAsync();
        var subscription = manager.Subscribe();
        await manager.CreateAsync("a", Counter(0), Ct);
        var reading = Task.Run(async () =>
        {
            var received = new List<ContextChange>();
            await foreach (var change in subscription.ReadAllAsync(Ct))
            {
                received.Add(change);
            }

            return received;
        });

        subscription.Dispose();
        await manager.UpdateAsync("a", Counter(1), cancellationToken: Ct);

        // The change buffered before Dispose is still delivered; the update after it is not.
        var received = await reading;
        Assert.Equal(1, Assert.Single(received).Version);
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
