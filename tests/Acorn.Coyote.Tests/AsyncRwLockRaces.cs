using Acorn.Threading;
using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

/// <summary>Schedule exploration of <see cref="AsyncRwLock{T}"/>: exclusion, downgrade atomicity and cancellation at the queue head.</summary>
public sealed class AsyncRwLockRaces
{
    [Fact]
    public void ReadersShare_WritersExclude() => Systematic.Run(ExclusionBody);

    [Fact]
    public void Downgrade_NoWriterSlipsIn() => Systematic.Run(DowngradeBody);

    [Fact]
    public void CancelledWriterAtHead_WhileLastReaderLeaves_AdmitsTheReadersBehindIt() => Systematic.Run(CancelAtHeadBody);

    private static async Task ExclusionBody()
    {
        var rw = new AsyncRwLock<int>(0);
        var readers = 0;
        var writers = 0;

        async Task Write()
        {
            using var guard = await rw.WriteLockAsync();
            Specification.Assert(++writers == 1 && readers == 0, "writer not alone");
            var seen = guard.Value;
            await Task.Yield();
            guard.Value = seen + 1;
            writers--;
        }

        async Task Read()
        {
            using var guard = await rw.ReadLockAsync();
            readers++;
            var seen = guard.Value;
            await Task.Yield();
            Specification.Assert(writers == 0 && guard.Value == seen, "value changed under a reader");
            readers--;
        }

        var tasks = new[] { Task.Run(Write), Task.Run(Read), Task.Run(Write), Task.Run(Read) };
        await Task.WhenAll(tasks);

        Specification.Assert(rw.TryReadLock(out var final), "lock still held");
        using (final)
        {
            Specification.Assert(final.Value == 2, $"lost update: {final.Value}");
        }
    }

    private static async Task DowngradeBody()
    {
        var rw = new AsyncRwLock<int>(0);
        var write = await rw.WriteLockAsync();
        var competitor = Task.Run(async () =>
        {
            using var other = await rw.WriteLockAsync();
            other.Value = -1;
        });
        var reader = Task.Run(async () =>
        {
            using var read = await rw.ReadLockAsync();
            return read.Value;
        });

        write.Value = 7;
        var downgraded = RwLockWriteGuard.Downgrade(write);
        await Task.Yield();
        Specification.Assert(downgraded.Value == 7, "a writer slipped in during the downgrade");
        downgraded.Dispose();
        await Task.WhenAll(new Task[] { competitor, reader });

        Specification.Assert(reader.Result is 7 or -1, $"reader saw {reader.Result}");
        Specification.Assert(rw.ReaderCount == 0 && !rw.IsWriteLocked && rw.WaitingCount == 0, "state leaked");
    }

    private static async Task CancelAtHeadBody()
    {
        var rw = new AsyncRwLock<int>(0);
        var firstReader = await rw.ReadLockAsync();
        using var cts = new CancellationTokenSource();
        var writer = Outcomes.TryHoldAsync(rw.WriteLockAsync(cts.Token));
        var laterReader = Outcomes.TryHoldAsync(rw.ReadLockAsync());

        var cancel = Task.Run(() => cts.Cancel());
        var release = Task.Run(() => firstReader.Dispose());
        await Task.WhenAll(new[] { cancel, release });
        var writerGotIt = await writer;
        var readerGotIt = await laterReader;

        Specification.Assert(readerGotIt, "the later reader never got in");
        Specification.Assert(writerGotIt || cts.IsCancellationRequested, "the writer failed without being cancelled");
        Specification.Assert(rw.ReaderCount == 0 && !rw.IsWriteLocked && rw.WaitingCount == 0, "state leaked");
    }
}
