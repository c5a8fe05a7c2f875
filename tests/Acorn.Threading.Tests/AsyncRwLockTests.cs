using Microsoft.Extensions.Time.Testing;

namespace Acorn.Threading.Tests;

public sealed class AsyncRwLockTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readers_Share()
    {
        var rw = new AsyncRwLock<int>(5);
        var guards = new List<RwLockReadGuard<int>>();
        for (var i = 0; i < 10; i++)
        {
            var pending = rw.ReadLockAsync(Token).AsTask();
            Assert.True(pending.IsCompletedSuccessfully);
            guards.Add(await pending);
        }

        Assert.Equal(10, rw.ReaderCount);
        Assert.All(guards, g => Assert.Equal(5, g.Value));
        Assert.False(rw.TryWriteLock(out _));
        guards.ForEach(g => g.Dispose());
        Assert.Equal(0, rw.ReaderCount);
        Assert.True(rw.TryWriteLock(out var writer));
        writer.Dispose();
    }

    [Fact]
    public async Task Writer_ExcludesReadersAndWriters()
    {
        var rw = new AsyncRwLock<int>(0);
        var writer = await rw.WriteLockAsync(Token);

        var reader = rw.ReadLockAsync(Token).AsTask();
        var secondWriter = rw.WriteLockAsync(Token).AsTask();

        Assert.False(reader.IsCompleted);
        Assert.False(secondWriter.IsCompleted);
        Assert.False(rw.TryReadLock(out _));
        writer.Value = 1;
        writer.Dispose();
        using (var read = await reader)
        {
            Assert.Equal(1, read.Value);
            Assert.False(secondWriter.IsCompleted);
        }

        using var write = await secondWriter;
        Assert.True(write.IsHeld);
    }

    [Fact]
    public async Task Contention_WritersExclusive_ReadersSeeStableValues_NothingLost()
    {
        const int Tasks = 64, Iterations = 300;
        var rw = new AsyncRwLock<int>(0);
        var activeReaders = 0;
        var activeWriters = 0;
        var violations = 0;
        var writes = 0;
        var start = new StartGate(Tasks);

        var workers = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            await start.ArriveAndWaitAsync();
            for (var i = 0; i < Iterations; i++)
            {
                if ((t + i) % 4 == 0)
                {
                    using var write = await rw.WriteLockAsync(Token);
                    if (Interlocked.Increment(ref activeWriters) != 1 || Volatile.Read(ref activeReaders) != 0)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    var seen = write.Value;
                    await Task.Yield();
                    write.Value = seen + 1;
                    Interlocked.Increment(ref writes);
                    Interlocked.Decrement(ref activeWriters);
                }
                else
                {
                    using var read = await rw.ReadLockAsync(Token);
                    Interlocked.Increment(ref activeReaders);
                    var before = read.Value;
                    await Task.Yield();
                    if (read.Value != before || Volatile.Read(ref activeWriters) != 0)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    Interlocked.Decrement(ref activeReaders);
                }
            }
        }, Token)).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(0, violations);
        Assert.True(rw.TryReadLock(out var final));
        using (final)
        {
            Assert.Equal(writes, final.Value);
            Assert.Equal(Tasks * Iterations / 4, writes);
        }
    }

    [Fact]
    public async Task QueuedWriter_BlocksNewReaders_AndGetsInBeforeThem()
    {
        var rw = new AsyncRwLock<List<string>>([]);
        var firstReader = await rw.ReadLockAsync(Token);
        var writer = Task.Run(async () =>
        {
            using var write = await rw.WriteLockAsync(Token);
            write.Value.Add("writer");
        }, Token);
        while (rw.WaitingCount == 0)
        {
            await Task.Yield();
        }

        var lateReader = rw.ReadLockAsync(Token).AsTask();
        Assert.False(lateReader.IsCompleted);
        Assert.False(rw.TryReadLock(out _));
        firstReader.Dispose();
        await writer;

        using var late = await lateReader;
        Assert.Equal(["writer"], late.Value);
    }

    [Fact]
    public async Task Release_AdmitsReadersUpToTheNextWriter_InArrivalOrder()
    {
        var rw = new AsyncRwLock<int>(0);
        var writer = await rw.WriteLockAsync(Token);
        var r1 = rw.ReadLockAsync(Token).AsTask();
        var r2 = rw.ReadLockAsync(Token).AsTask();
        var w2 = rw.WriteLockAsync(Token).AsTask();
        var r3 = rw.ReadLockAsync(Token).AsTask();

        writer.Dispose();
        var read1 = await r1;
        var read2 = await r2;

        Assert.Equal(2, rw.ReaderCount);
        Assert.False(w2.IsCompleted);
        Assert.False(r3.IsCompleted);
        read1.Dispose();
        read2.Dispose();
        (await w2).Dispose();
        (await r3).Dispose();
        Assert.Equal(0, rw.ReaderCount);
    }

    [Fact]
    public async Task Downgrade_AdmitsHeadReaders_ButNoWriterSlipsIn()
    {
        var rw = new AsyncRwLock<int>(0);
        var write = await rw.WriteLockAsync(Token);
        var r1 = rw.ReadLockAsync(Token).AsTask();
        var w2 = rw.WriteLockAsync(Token).AsTask();
        var r2 = rw.ReadLockAsync(Token).AsTask();
        write.Value = 42;

        var read = RwLockWriteGuard.Downgrade(write);

        Assert.Equal(42, read.Value);
        Assert.False(write.IsHeld);
        Assert.Throws<ObjectDisposedException>(() => write.Value);
        write.Dispose();
        Assert.True(read.IsHeld);
        using (var head = await r1)
        {
            Assert.Equal(2, rw.ReaderCount);
            Assert.False(w2.IsCompleted);
            Assert.False(r2.IsCompleted);
            read.Dispose();
        }

        (await w2).Dispose();
        (await r2).Dispose();
    }

    [Fact]
    public async Task Downgrade_IsAtomic_UnderCompetingWriters()
    {
        const int Rounds = 500, Competitors = 8;
        var rw = new AsyncRwLock<int>(0);
        using var stop = new CancellationTokenSource();
        var competitors = Enumerable.Range(0, Competitors).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var write = await rw.WriteLockAsync(Token);
                write.Value = -1;
            }
        }, Token)).ToArray();

        var slipped = 0;
        for (var round = 1; round <= Rounds; round++)
        {
            var write = await rw.WriteLockAsync(Token);
            write.Value = round;
            using var read = RwLockWriteGuard.Downgrade(write);
            await Task.Yield();
            if (read.Value != round)
            {
                slipped++;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(competitors);
        Assert.Equal(0, slipped);
    }

    [Fact]
    public async Task CancelledWriterAtHead_LetsTheReadersBehindItIn()
    {
        var rw = new AsyncRwLock<int>(0);
        using var reader = await rw.ReadLockAsync(Token);
        using var cts = new CancellationTokenSource();
        var writer = rw.WriteLockAsync(cts.Token).AsTask();
        var queuedReader = rw.ReadLockAsync(Token).AsTask();
        Assert.False(queuedReader.IsCompleted);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer);
        using var admitted = await queuedReader;
        Assert.Equal(2, rw.ReaderCount);
        Assert.Equal(0, rw.WaitingCount);
    }

    [Fact]
    public async Task Timeouts_ThrowOrReturnNoGuard_AndLeaveTheQueue()
    {
        var time = new FakeTimeProvider();
        var rw = new AsyncRwLock<int>(0, "rw-timeouts", time);
        var writer = await rw.WriteLockAsync(Token);

        var read = rw.ReadLockAsync(TimeSpan.FromSeconds(1), Token).AsTask();
        var write = rw.WriteLockAsync(TimeSpan.FromSeconds(1), Token).AsTask();
        var tryRead = rw.TryReadLockAsync(TimeSpan.FromSeconds(1), Token).AsTask();
        var tryWrite = rw.TryWriteLockAsync(TimeSpan.FromSeconds(1), Token).AsTask();
        Assert.Equal(4, rw.WaitingCount);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => read);
        await Assert.ThrowsAsync<TimeoutException>(() => write);
        Assert.Null(await tryRead);
        Assert.Null(await tryWrite);
        Assert.Equal(0, rw.WaitingCount);
        Assert.True(writer.IsHeld);
        writer.Dispose();
        Assert.NotNull(await rw.TryReadLockAsync(TimeSpan.Zero, Token));
    }

    [Fact]
    public async Task CancellationStorm_OfWriters_SurvivorsKeepFifoOrder()
    {
        var rw = new AsyncRwLock<int>(0);
        var holder = await rw.ReadLockAsync(Token);

        var result = await CancellationStorm.RunAsync(10_000, seed: 3, holder, token => rw.WriteLockAsync(token));

        CancellationStorm.AssertFairAndComplete(result);
        Assert.Equal(0, rw.WaitingCount);
        Assert.True(rw.TryWriteLock(out var after));
        after.Dispose();
    }

    [Fact]
    public async Task AlreadyCancelledToken_CompletesCancelledWithoutQueueing()
    {
        var rw = new AsyncRwLock<int>(0);
        using var writer = await rw.WriteLockAsync(Token);
        var cancelled = new CancellationToken(canceled: true);

        var read = rw.ReadLockAsync(cancelled).AsTask();
        var write = rw.WriteLockAsync(cancelled).AsTask();

        Assert.True(read.IsCanceled);
        Assert.True(write.IsCanceled);
        Assert.Equal(0, rw.WaitingCount);
    }

    [Fact]
    public async Task DisposeTwice_AndUseAfterDispose_BehaveForBothGuards()
    {
        var rw = new AsyncRwLock<int>(0);
        var read = await rw.ReadLockAsync(Token);
        read.Dispose();
        var write = await rw.WriteLockAsync(Token);
        read.Dispose();
        Assert.True(write.IsHeld);
        write.Dispose();
        using var reader2 = await rw.ReadLockAsync(Token);
        write.Dispose();

        Assert.Equal(1, rw.ReaderCount);
        Assert.Throws<ObjectDisposedException>(() => read.Value);
        Assert.Throws<ObjectDisposedException>(() => write.Value);
        Assert.Throws<ObjectDisposedException>(() => RwLockWriteGuard.Downgrade(write));
        Assert.Throws<SynchronizationLockException>(() => default(RwLockReadGuard<int>).Value);
        Assert.Throws<SynchronizationLockException>(() => RwLockWriteGuard.Downgrade(default(RwLockWriteGuard<int>)));
    }

    [Fact]
    public async Task NegativeTimeout_IsRejected()
    {
        var rw = new AsyncRwLock<int>(0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rw.ReadLockAsync(TimeSpan.FromSeconds(-1), Token));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await rw.TryWriteLockAsync(TimeSpan.FromSeconds(-1), Token));
    }
}
