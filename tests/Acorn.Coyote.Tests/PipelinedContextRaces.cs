using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

public sealed partial class ContextRaces
{
    [Fact]
    public void AWriteFailingInFlight_LosesNothingElse_AndShowsNothingOfItself() => Systematic.Run(FailureInFlightBody);

    /// <summary>
    /// Three tasks increment one context twice each over a pipelining store whose first write of version 3 fails: the
    /// failed increment's caller, and only it, sees the failure; every other increment lands exactly once, on a version
    /// one above the last, and nothing of the failed one is ever visible (ABA: version 3 is written again, with other content).
    /// </summary>
    private static async Task FailureInFlightBody()
    {
        var store = new PipeliningStore { FailFirstWriteOfVersion = 3 };
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));
        using var changes = manager.Subscribe("x");
        var versions = new List<long>();

        async Task<int> IncrementTwice()
        {
            var failures = 0;
            for (var i = 0; i < 2; i++)
            {
                try
                {
                    var written = await manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1));
                    lock (versions)
                    {
                        versions.Add(written.Version);
                    }
                }
                catch (ContextStoreException)
                {
                    failures++;
                }
            }

            return failures;
        }

        var tasks = new[] { Task.Run(IncrementTwice), Task.Run(IncrementTwice), Task.Run(IncrementTwice) };
        await Task.WhenAll(tasks);

        var failed = tasks.Sum(t => t.Result);
        Specification.Assert(failed == 1, $"{failed} increments failed; the store failed one write");
        var state = await manager.GetAsync("x");
        Specification.Assert(CounterOf(state) == 5 && state.Version == 6, $"count {CounterOf(state)} at version {state.Version}");
        versions.Sort();
        Specification.Assert(versions.SequenceEqual([2L, 3, 4, 5, 6]), $"versions written: {string.Join(',', versions)}");
        var published = new List<long>();
        while (changes.TryRead(out var change))
        {
            Specification.Assert(CounterOf(change.State!) == change.Version - 1, $"version {change.Version} published with count {CounterOf(change.State!)}");
            published.Add(change.Version);
        }

        Specification.Assert(published.SequenceEqual([2L, 3, 4, 5, 6]), $"versions published: {string.Join(',', published)}");
        var persisted = await (await NewManagerAsync(store)).GetAsync("x");
        Specification.Assert(persisted.Version == 6 && CounterOf(persisted) == 5, "the store disagrees with memory");
    }

    /// <summary>
    /// A store that pipelines: a write is accepted at once and commits on its own task after the write submitted before
    /// it, yielding first, as a real group commit would. Optionally the first write of one version fails.
    /// </summary>
    private sealed class PipeliningStore() : DelegatingContextStore(new InMemoryContextStore())
    {
        private readonly object _gate = new();
        private readonly HashSet<(string, long)> _committed = [];
        private Task _last = Task.CompletedTask;
        private bool _failed;

        public long? FailFirstWriteOfVersion { get; init; }

        /// <summary>The injected failure vouches that nothing changed (a <see cref="ContextStoreException"/>), rather than leaving the outcome unknown.</summary>
        public bool FailDefinitely { get; init; }

        /// <summary>Whether the store has committed that version of that context.</summary>
        public bool HasCommitted(string id, long version)
        {
            lock (_gate)
            {
                return _committed.Contains((id, version));
            }
        }

        public override ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var previous = _last;
                _last = Task.Run(() => CommitAfterAsync(previous, write), CancellationToken.None);
                return new ValueTask<Task>(_last);
            }
        }

        public override async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
            await await SubmitAsync(write, cancellationToken);

        private async Task CommitAfterAsync(Task previous, ContextWrite write)
        {
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // An earlier write's failure is its caller's to see; this one commits (or not) on its own merits.
            }

            await Task.Yield();
            if (write is PutContextWrite put && put.State.Version == FailFirstWriteOfVersion && !_failed)
            {
                _failed = true;
                var error = new IOException($"injected failure of version {put.State.Version}");
                throw FailDefinitely ? new ContextStoreException(put.ContextId, "injected; nothing was changed", error) : error;
            }

            await Inner.WriteAsync(write, CancellationToken.None);
            if (write is PutContextWrite stored)
            {
                lock (_gate)
                {
                    _committed.Add((stored.ContextId, stored.State.Version));
                }
            }
        }
    }
}
