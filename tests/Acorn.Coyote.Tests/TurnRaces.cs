using Acorn.Contexts;
using Microsoft.Coyote.Specifications;

namespace Acorn.Coyote.Tests;

/// <summary>
/// Schedule exploration of turn-based combining: writes of one context planned together in runs on the running head,
/// over a pipelining store, with refusals, failures in the middle of a run, cancellation and deletes (issue 13).
/// </summary>
public sealed partial class ContextRaces
{
    [Fact]
    public void ARefusalInACombinedRun_RestsOnlyOnDurableWrites() => Systematic.Run(RefusalBody);

    [Fact]
    public void AFailureInTheMiddleOfACombinedRun_FailsOnlyItsCaller_AndLaterWritesArePlannedAgain() =>
        Systematic.Run(DefiniteFailureBody);

    [Fact]
    public void AWriteCancelledWhileQueued_IsWithdrawnWhole_OrRunsWhole() => Systematic.Run(CancellationBody);

    [Fact]
    public void ADeleteRacingCombinedUpdates_IsLinearizable_AndNeverResurrects() => Systematic.Run(DeleteRacingUpdatesBody);

    [Fact]
    public void AReadNeverReturnsAVersionTheStoreHasNotCommitted() => Systematic.Run(ReadsOnlyDurableBody);

    /// <summary>
    /// A blind write and two compare-and-sets at version 1 race, and the store fails the first write of version 2 (whoever
    /// planned it): exactly that caller fails, a refused compare-and-set names a version the store committed, at most one
    /// compare-and-set at version 1 wins, and nothing else is lost.
    /// </summary>
    private static async Task RefusalBody()
    {
        var store = new PipeliningStore { FailFirstWriteOfVersion = 2, FailDefinitely = true };
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));

        Task<string> Write(long n, long? expectedVersion) => Task.Run(async () =>
        {
            try
            {
                await manager.UpdateAsync("x", Counter(n), expectedVersion);
                return "written";
            }
            catch (ContextVersionConflictException conflict)
            {
                // Checked when the refusal arrives: by then the version it names must be durable.
                Specification.Assert(store.HasCommitted("x", conflict.ActualVersion), $"a conflict named version {conflict.ActualVersion} before the store committed it");
                return "conflict";
            }
            catch (ContextStoreException)
            {
                return "failed";
            }
        });

        var writes = new[] { Write(10, null), Write(20, 1), Write(30, 1) };
        await Task.WhenAll(writes);

        var outcomes = writes.Select(w => w.Result).ToList();
        Specification.Assert(outcomes.Count(o => o == "failed") == 1, $"outcomes {string.Join(',', outcomes)}: the store failed one write");
        Specification.Assert(writes.Skip(1).Count(w => w.Result == "written") <= 1, "two compare-and-sets at version 1 both succeeded");
        var state = await manager.GetAsync("x");
        var written = outcomes.Count(o => o == "written");
        Specification.Assert(state.Version == 1 + written, $"version {state.Version} after {written} successful writes");
    }

    /// <summary>
    /// Six increments from three tasks, the first store write of version 3 failing with a store error that vouches nothing
    /// changed: exactly one caller sees it, the writes planned after it are planned again, nothing is lost.
    /// </summary>
    private static async Task DefiniteFailureBody()
    {
        var store = new PipeliningStore { FailFirstWriteOfVersion = 3, FailDefinitely = true };
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));
        var evaluations = 0;

        async Task<int> IncrementTwice()
        {
            var failures = 0;
            for (var i = 0; i < 2; i++)
            {
                try
                {
                    await manager.UpdateAsync("x", s =>
                    {
                        Interlocked.Increment(ref evaluations);
                        return Counter(CounterOf(s) + 1);
                    });
                }
                catch (ContextStoreException error)
                {
                    Specification.Assert(error is not ContextWriteOutcomeUnknownException, "a definite failure was reported as unknown");
                    failures++;
                }
            }

            return failures;
        }

        var tasks = new[] { Task.Run(IncrementTwice), Task.Run(IncrementTwice), Task.Run(IncrementTwice) };
        await Task.WhenAll(tasks);

        Specification.Assert(tasks.Sum(t => t.Result) == 1, $"{tasks.Sum(t => t.Result)} increments failed; the store failed one write");
        var state = await manager.GetAsync("x");
        Specification.Assert(CounterOf(state) == 5 && state.Version == 6, $"count {CounterOf(state)} at version {state.Version}");
        Specification.Assert(evaluations >= 6, $"{evaluations} evaluations for 6 increments");
        var persisted = await (await NewManagerAsync(store)).GetAsync("x");
        Specification.Assert(persisted.Version == 6 && CounterOf(persisted) == 5, "the store disagrees with memory");
    }

    /// <summary>An increment cancelled while it may be queued either is withdrawn (changes nothing) or completes whole.</summary>
    private static async Task CancellationBody()
    {
        var manager = await NewManagerAsync(new PipeliningStore());
        await manager.CreateAsync("x", Counter(0));
        using var cancel = new CancellationTokenSource();

        var cancellable = Task.Run(async () =>
        {
            try
            {
                await manager.UpdateAsync("x", s => Counter(CounterOf(s) + 100), cancel.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        });
        var others = new[] { Attempt(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()), Attempt(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()) };
        var canceller = Task.Run(cancel.Cancel);
        await Task.WhenAll(new[] { cancellable, others[0], others[1], canceller });

        Specification.Assert(others.All(o => o.Result), "an increment that was not cancelled failed");
        var state = await manager.GetAsync("x");
        var expected = 2 + (cancellable.Result ? 100 : 0);
        Specification.Assert(CounterOf(state) == expected, $"count {CounterOf(state)}, expected {expected}: a cancelled write was half applied");
        Specification.Assert(state.Version == (cancellable.Result ? 4 : 3), $"version {state.Version}");
    }

    /// <summary>
    /// Increments race a delete and a create of the same id: each succeeded increment wrote a distinct version below the
    /// deleted one or above the create, the recreated context is never an increment of the deleted one, and what the
    /// manager shows is what the store holds.
    /// </summary>
    private static async Task DeleteRacingUpdatesBody()
    {
        var store = new PipeliningStore();
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));

        var increments = new[]
        {
            Task.Run(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()),
            Task.Run(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()),
        };
        var delete = Task.Run(() => manager.DeleteAsync("x").AsTask());
        var create = Task.Run(() => manager.CreateAsync("x", Counter(1_000)).AsTask());
        foreach (var write in increments.Cast<Task>().Append(delete).Append(create))
        {
            try
            {
                await write;
            }
            catch (ContextException)
            {
                // Not found after the delete, or exists before it: judged below.
            }
        }

        Specification.Assert(delete.IsCompletedSuccessfully, "the delete failed");
        var deleted = delete.Result;
        var written = increments.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
        Specification.Assert(written.Select(w => w.Version).Distinct().Count() == written.Count, "two increments wrote one version");
        var current = await manager.FindAsync("x");
        if (create.IsCompletedSuccessfully)
        {
            Specification.Assert(create.Result.Version > deleted.Version, $"created again at version {create.Result.Version}, after version {deleted.Version} was deleted");
            Specification.Assert(current is not null && CounterOf(current) >= 1_000, "the context created after the delete is not there");
        }
        else
        {
            Specification.Assert(create.Exception!.InnerException is ContextAlreadyExistsException, $"the create failed with {create.Exception.InnerException}");
        }

        foreach (var increment in written.Where(w => w.Version <= deleted.Version))
        {
            Specification.Assert(CounterOf(increment) <= CounterOf(deleted), "an increment before the delete is not in the deleted state");
        }

        var persisted = await (await NewManagerAsync(store)).FindAsync("x");
        Specification.Assert(persisted?.Version == current?.Version, "the store disagrees with memory");
    }

    /// <summary>A reader racing pipelined increments only ever sees versions the store has committed.</summary>
    private static async Task ReadsOnlyDurableBody()
    {
        var store = new PipeliningStore();
        var manager = await NewManagerAsync(store);
        await manager.CreateAsync("x", Counter(0));

        var writers = new[]
        {
            Task.Run(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()),
            Task.Run(() => manager.UpdateAsync("x", s => Counter(CounterOf(s) + 1)).AsTask()),
        };
        var reader = Task.Run(async () =>
        {
            for (var i = 0; i < 4; i++)
            {
                var seen = await manager.GetAsync("x");
                Specification.Assert(seen.Version == 1 || store.HasCommitted("x", seen.Version), $"a read returned version {seen.Version} before the store committed it");
                await Task.Yield();
            }
        });
        await Task.WhenAll(new Task[] { writers[0], writers[1], reader });
    }
}
