using System.Collections.Concurrent;
using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// Clients that increment a context's counter <c>n</c> until told to finish, recording per context what was
/// acknowledged, what failed and in which phase of a storage fault each operation was invoked.
/// </summary>
/// <param name="contexts">The cluster's context operations.</param>
internal sealed class IncrementRun(ContextGrainClient contexts)
{
    private readonly ConcurrentDictionary<string, ContextTally> _tallies = new();
    private volatile int _phase;
    private volatile bool _finished;

    /// <summary>Where the storage server is when an operation is invoked.</summary>
    public enum Phase
    {
        /// <summary>Running.</summary>
        Up,

        /// <summary>Being stopped: writes may go either way.</summary>
        Stopping,

        /// <summary>Stopped (pg_ctl stop returned): no write may be acknowledged.</summary>
        Down,

        /// <summary>Being started again or running again.</summary>
        Restarted,
    }

    /// <summary>The tally of one context.</summary>
    public ContextTally Tally(string id) => _tallies.GetOrAdd(id, _ => new ContextTally());

    /// <summary>Operations invoked from now on are counted in <paramref name="phase"/>.</summary>
    public void Enter(Phase phase) => _phase = (int)phase;

    /// <summary>Clients stop after their current operation.</summary>
    public void Finish() => _finished = true;

    /// <summary>Increments <paramref name="id"/> until <see cref="Finish"/>.</summary>
    /// <param name="id">The context.</param>
    /// <param name="readModifyWrite">Use the client's read-modify-write loop instead of an explicit read then compare-and-set.</param>
    /// <param name="cancellationToken">The test's token.</param>
    public async Task IncrementUntilDoneAsync(string id, bool readModifyWrite, CancellationToken cancellationToken)
    {
        var tally = Tally(id);
        while (!_finished)
        {
            var phase = (Phase)_phase;
            // A failure before any write was sent (the read) is certainly not persisted; one after may be. In the
            // read-modify-write loop a read after a conflict also counts as "after": that only widens the bound.
            var writeSent = false;
            try
            {
                ContextState written;
                if (readModifyWrite)
                {
                    written = await contexts.UpdateAsync(id, s => { writeSent = true; return Increment(s); }, cancellationToken);
                }
                else
                {
                    var current = await contexts.GetAsync(id, cancellationToken);
                    phase = (Phase)_phase;
                    writeSent = true;
                    written = await contexts.UpdateAsync(id, Increment(current), current.Version, cancellationToken);
                }

                tally.Acknowledge(phase, (Phase)_phase, written.Version, written.Data.GetProperty("n").GetInt64());
            }
            catch (ContextVersionConflictException)
            {
                // Another client incremented first: not a failure, read again.
            }
            catch (ContextStoreException ex)
            {
                // The error must say which context and that it failed, so that an operator can act on it.
                Assert.Equal(id, ex.ContextId);
                Assert.Contains($"'{id}'", ex.Message, StringComparison.Ordinal);
                Assert.Contains("failed", ex.Message, StringComparison.Ordinal);
                tally.Fail(phase, writeSent, ex.Message);
                // Not a timing assumption: only keeps 12 failing clients from spinning on 2 cores while storage is down.
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    private static ContextContent Increment(ContextState state) => new(
        JsonSerializer.SerializeToElement(new { n = state.Data.GetProperty("n").GetInt64() + 1 }));

    /// <summary>One acknowledged increment: the version and counter value the grain answered with.</summary>
    public sealed record Ack(Phase InvokedIn, long Version, long Counter);

    /// <summary>What happened to one context's operations.</summary>
    public sealed class ContextTally
    {
        private readonly int[] _acks = new int[4];
        private readonly int[] _failures = new int[4];
        private int _unknownWrites;
        private int _acksWhileDown;

        /// <summary>The acknowledged increments.</summary>
        public ConcurrentQueue<Ack> Acks { get; } = new();

        /// <summary>Writes that failed with a store error after they were sent: they may or may not have landed.</summary>
        public int UnknownWrites => Volatile.Read(ref _unknownWrites);

        /// <summary>Acknowledged increments invoked in <paramref name="phase"/>.</summary>
        public int AcksIn(Phase phase) => Volatile.Read(ref _acks[(int)phase]);

        /// <summary>Failed operations (reads or writes) invoked in <paramref name="phase"/>.</summary>
        public int FailuresIn(Phase phase) => Volatile.Read(ref _failures[(int)phase]);

        /// <summary>
        /// Acknowledged increments invoked and answered while storage was down (pg_ctl stop had returned and the restart
        /// had not begun). One invoked while down may still be answered after the restart began: it waited for storage.
        /// </summary>
        public int AcksWhileDown => Volatile.Read(ref _acksWhileDown);

        internal void Acknowledge(Phase invokedIn, Phase answeredIn, long version, long counter)
        {
            Acks.Enqueue(new Ack(invokedIn, version, counter));
            Interlocked.Increment(ref _acks[(int)invokedIn]);
            if (invokedIn == Phase.Down && answeredIn == Phase.Down)
            {
                Interlocked.Increment(ref _acksWhileDown);
            }
        }

        /// <summary>The message of the first failure invoked while storage was down, for the test output.</summary>
        public string? FirstMessageWhileDown { get; private set; }

        internal void Fail(Phase phase, bool writeSent, string message)
        {
            if (phase == Phase.Down)
            {
                FirstMessageWhileDown ??= message;
            }

            Interlocked.Increment(ref _failures[(int)phase]);
            if (writeSent)
            {
                Interlocked.Increment(ref _unknownWrites);
            }
        }
    }
}
