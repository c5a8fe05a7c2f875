using Acorn.Contexts;
using Acorn.Server.Events;
using Microsoft.Extensions.Options;

namespace Acorn.Server.Tests;

/// <summary>The broadcast ring behind the event streams: order, bounded replay, lag detection, wake-ups.</summary>
public sealed class ChangeLogTests
{
    private static ChangeLog NewLog(int window) => new(Options.Create(new AcornServerOptions { EventReplayWindow = window }));

    private static ContextChange Change(long version) =>
        new(version, ContextChangeKind.Updated, "c", version, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Entries_after_a_cursor_come_back_in_append_order()
    {
        var log = NewLog(8);
        for (var v = 1; v <= 5; v++)
        {
            log.Append(ChangeLogEntryKind.Change, Change(v));
        }

        var read = new List<ChangeLogEntry>();
        Assert.True(log.TryReadAfter(2, read));

        Assert.Equal([3L, 4L, 5L], read.Select(e => e.Position));
        Assert.Equal([3L, 4L, 5L], read.Select(e => e.Change!.Version));
    }

    [Fact]
    public void A_reader_behind_the_window_is_told_it_lagged_and_one_at_the_edge_is_not()
    {
        var log = NewLog(4);
        for (var v = 1; v <= 10; v++)
        {
            log.Append(ChangeLogEntryKind.Change, Change(v));
        }

        var read = new List<ChangeLogEntry>();
        Assert.False(log.TryReadAfter(5, read));
        Assert.Empty(read);
        Assert.True(log.TryReadAfter(6, read));
        Assert.Equal([7L, 8L, 9L, 10L], read.Select(e => e.Position));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_on_append_and_not_before()
    {
        var log = NewLog(4);
        log.Append(ChangeLogEntryKind.Change, Change(1));

        var waiting = log.WaitAfterAsync(1, TestContext.Current.CancellationToken);
        Assert.True(log.WaitAfterAsync(0, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
        Assert.False(waiting.IsCompleted);

        log.Append(ChangeLogEntryKind.Change, Change(2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Concurrent_appends_give_every_entry_one_distinct_position()
    {
        const int Writers = 8;
        const int PerWriter = 500;
        var log = NewLog(Writers * PerWriter);
        using var start = new Barrier(Writers);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            for (var i = 0; i < PerWriter; i++)
            {
                log.Append(ChangeLogEntryKind.Change, Change((w * PerWriter) + i + 1));
            }
        }, TestContext.Current.CancellationToken)));

        var read = new List<ChangeLogEntry>();
        Assert.True(log.TryReadAfter(0, read));
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(p => (long)p), read.Select(e => e.Position));
        Assert.Equal(Writers * PerWriter, read.Select(e => e.Change!.Version).Distinct().Count());
    }
}
