using System.Diagnostics;
using Acorn.Contexts.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// Writes to one context take turns: each is planned once, on the state the writes before it leave, and update functions
/// run in the turn under rules of their own (DESIGN §4, "Hot keys: combine, don't retry").
/// </summary>
public sealed class TurnTests : InMemoryContextTestBase
{
    [Fact]
    public async Task ConcurrentIncrements_EvaluateTheirFunctionOncePerUpdate_AndLoseNone()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("hot", Counter(0), Ct);
        var evaluations = 0;

        for (var round = 0; round < 20; round++)
        {
            await RaceAsync(64, () => manager.UpdateAsync("hot", s =>
            {
                Interlocked.Increment(ref evaluations);
                return Increment(s);
            }, Ct).AsTask());
        }

        var state = await manager.GetAsync("hot", Ct);
        Assert.Equal((1_281L, 1_280L), (state.Version, CounterOf(state)));

        // No write failed, so no function ran twice: a hot context never retries.
        Assert.Equal(1_280, evaluations);
        manager.RetireIdleTurns();
        Assert.Equal(0, manager.TurnCount);
    }

    [Fact]
    public async Task IdleTurns_AreKeptForTheNextWrite_ButNoMoreThan64()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("hot", Counter(0), Ct);
        for (var i = 0; i < 10; i++)
        {
            await manager.UpdateAsync("hot", Increment, Ct);
        }

        Assert.Equal(1, manager.TurnCount);

        // Every context written once: the map keeps the 64 turns that went idle last, and lets the others go.
        for (var i = 0; i < 300; i++)
        {
            await manager.CreateAsync($"c-{i}", Counter(i), Ct);
            await manager.UpdateAsync($"c-{i}", Increment, Ct);
            Assert.InRange(manager.TurnCount, 1, 64);
        }

        // A kept turn starts its next run from committed state, like a new one: the writes of every context still add up.
        await RaceAsync(64, () => manager.UpdateAsync("hot", Increment, Ct).AsTask());
        Assert.Equal(74, CounterOf(await manager.GetAsync("hot", Ct)));
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(i + 1, CounterOf(await manager.GetAsync($"c-{i}", Ct)));
        }

        manager.RetireIdleTurns();
        Assert.Equal(0, manager.TurnCount);
    }

    [Fact]
    public async Task Reads_FollowAHotContext_ThroughItsTurnRetiring_AndThroughDeletesAndCreates()
    {
        // A hot context's updates replace its committed state in its turn's cell, which the manager's map holds until
        // the turn retires; deletes and creates go through the map itself. Readers must see each change either way.
        var manager = await NewManagerAsync();
        var created = await manager.CreateAsync("hot", Counter(0), Ct);
        var counter = 0L;
        for (var round = 0; round < 40; round++)
        {
            using var stop = new CancellationTokenSource();
            var createdVersion = created.Version;
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                var last = 0L;
                while (!stop.IsCancellationRequested)
                {
                    var seen = await manager.GetAsync("hot", Ct);
                    Assert.True(seen.Version >= last, $"version {seen.Version} read after {last}");
                    Assert.Equal(seen.Version - createdVersion, CounterOf(seen) - counter);
                    last = seen.Version;
                }
            })).ToArray();

            var written = await RaceAsync(8, async _ => await manager.UpdateAsync("hot", Increment, Ct));
            await stop.CancelAsync();
            await Task.WhenAll(readers);

            var last = written.MaxBy(s => s.Version)!;
            Assert.Same(last, await manager.GetAsync("hot", Ct));
            if (round % 2 == 0)
            {
                manager.RetireIdleTurns();
                Assert.Equal(0, manager.TurnCount);
                Assert.Same(last, await manager.GetAsync("hot", Ct));
            }

            if (round % 5 == 4)
            {
                await manager.DeleteAsync("hot", cancellationToken: Ct);
                await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.GetAsync("hot", Ct));
                created = await manager.CreateAsync("hot", Counter(0), Ct);
                Assert.Same(created, await manager.GetAsync("hot", Ct));
                counter = 0;
            }
            else
            {
                // The next round's readers count from here.
                created = last;
                counter = CounterOf(last);
            }
        }
    }

    [Fact]
    public async Task AnUpdateFunctionThatThrows_FailsOnlyItsOwnCaller()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", Counter(0), Ct);

        for (var round = 0; round < 20; round++)
        {
            var outcomes = await RaceAsync(16, async task =>
            {
                try
                {
                    await manager.UpdateAsync("x", s => task % 4 == 0 ? throw new InvalidDataException($"task {task} refuses") : Increment(s), Ct);
                    return "written";
                }
                catch (InvalidDataException ex) when (ex.Message == $"task {task} refuses")
                {
                    return "own error";
                }
            });

            Assert.Equal(12, outcomes.Count(o => o == "written"));
            Assert.Equal(4, outcomes.Count(o => o == "own error"));
        }

        var state = await manager.GetAsync("x", Ct);
        Assert.Equal((241L, 240L), (state.Version, CounterOf(state)));
    }

    [Fact]
    public async Task AnUpdateFunctionWritingToItsOwnContext_FailsFast_InsteadOfWaitingForItself()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", Counter(0), Ct);
        Task<ContextState>? nested = null;
        Task<ContextState>? nestedPatch = null;
        Task<ContextState>? other = null;

        var written = await manager.UpdateAsync("x", s =>
        {
            nested = manager.UpdateAsync("x", Counter(100), cancellationToken: Ct).AsTask();
            nestedPatch = manager.PatchAsync("x", ContextPatch.Parse(ContextPatchKind.MergePatch, """{"n":7}"""), cancellationToken: Ct).AsTask();
            other = manager.CreateAsync("y", Counter(1), Ct).AsTask();
            return Increment(s);
        }, Ct);

        Assert.Equal((2L, 1L), (written.Version, CounterOf(written)));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await nested!);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await nestedPatch!);

        // Another context is not this turn: writing to it from the function is allowed.
        Assert.Equal(1, CounterOf(await other!));
        Assert.Equal(1, CounterOf(await manager.GetAsync("x", Ct)));
    }

    [Fact]
    public async Task ATaskStartedByAnUpdateFunction_MayWriteToItsContext_OnceTheFunctionReturned()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", Counter(0), Ct);
        var functionReturned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<ContextState>? later = null;

        await manager.UpdateAsync("x", s =>
        {
            // The task inherits the function's flow of execution, but runs its write after the function returned.
            later = Task.Run(async () =>
            {
                await functionReturned.Task;
                return await manager.UpdateAsync("x", Increment, Ct);
            });
            return Increment(s);
        }, Ct);
        functionReturned.SetResult();

        var after = await later!;
        Assert.Equal((3L, 2L), (after.Version, CounterOf(after)));
    }

    [Fact]
    public async Task ASlowUpdateFunction_IsLoggedWithItsContextAndTime()
    {
        var logs = new FakeLogCollector();
        var manager = new ContextManager(
            new InMemoryContextStore(),
            new ContextOptions { SlowUpdateFunctionThreshold = TimeSpan.FromMilliseconds(50) },
            Time,
            new FakeLogger<ContextManager>(logs));
        await manager.CreateAsync("slow", Counter(0), Ct);

        await manager.UpdateAsync("slow", s =>
        {
            // Busy on purpose: the function is synchronous, and its time is what the turn measures (on the coarse tick
            // count, so the margins are wide both ways: the quick update below must stay under the threshold even on a
            // loaded machine, and this one well over it).
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromMilliseconds(100))
            {
                Thread.SpinWait(100);
            }

            return Increment(s);
        }, Ct);
        await manager.UpdateAsync("slow", Increment, Ct);

        var slow = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("'slow'", slow.Message, StringComparison.Ordinal);
        Assert.Equal(1030, slow.Id.Id);
    }

    [Fact]
    public async Task BadArgumentsToAWrite_FaultItsTask_InsteadOfThrowingAtTheCall()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", Counter(0), Ct);

        // The writes return the turn's outcome without an async frame of their own: a caller that starts several and
        // awaits them together must still get each refusal through its task, as from an async method.
        var pending = new List<Task>
        {
            manager.UpdateAsync("bad id", Counter(1), cancellationToken: Ct).AsTask(),
            manager.UpdateAsync("x", ContextContent.Parse("[1]"), cancellationToken: Ct).AsTask(),
            manager.UpdateAsync("bad id", Increment, Ct).AsTask(),
            manager.UpdateAsync("x", (Func<ContextState, ContextContent>)null!, Ct).AsTask(),
            manager.PatchAsync("bad id", ContextPatch.Parse(ContextPatchKind.MergePatch, """{"n":1}"""), cancellationToken: Ct).AsTask(),
            manager.PatchAsync("x", null!, cancellationToken: Ct).AsTask(),
            manager.DeleteAsync("bad id", cancellationToken: Ct).AsTask(),
        };

        Assert.All(pending, task => Assert.True(task.IsFaulted));
        Assert.IsType<InvalidContextIdException>(await Record.ExceptionAsync(() => pending[0]));
        Assert.IsType<InvalidContextDataException>(await Record.ExceptionAsync(() => pending[1]));
        Assert.IsType<InvalidContextIdException>(await Record.ExceptionAsync(() => pending[2]));
        Assert.IsType<ArgumentNullException>(await Record.ExceptionAsync(() => pending[3]));
        Assert.IsType<InvalidContextIdException>(await Record.ExceptionAsync(() => pending[4]));
        Assert.IsType<ArgumentNullException>(await Record.ExceptionAsync(() => pending[5]));
        Assert.IsType<InvalidContextIdException>(await Record.ExceptionAsync(() => pending[6]));
        Assert.Equal(1, (await manager.GetAsync("x", Ct)).Version);
    }

    [Fact]
    public async Task AWriteCancelledWhileQueued_IsWithdrawnWhole_AndTheOthersRun()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("x", Counter(0), Ct);
        using var planning = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);

        // The first write's function holds the turn, so the next ones queue behind it.
        var first = Task.Run(() => manager.UpdateAsync("x", s =>
        {
            planning.Release();
            release.Wait(Ct);
            return Increment(s);
        }, Ct).AsTask(), Ct);
        await planning.WaitAsync(Ct);
        using var cancel = new CancellationTokenSource();
        var withdrawn = manager.UpdateAsync("x", _ => Counter(1_000), cancel.Token).AsTask();
        var queued = manager.UpdateAsync("x", Increment, Ct).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        release.Release();

        Assert.Equal(2, (await first).Version);
        var last = await queued;
        Assert.Equal((3L, 2L), (last.Version, CounterOf(last)));
        Assert.Equal((3L, 2L), (last.Version, CounterOf(await (await ReopenAsync()).GetAsync("x", Ct))));
    }

    private static async Task<T[]> RaceAsync<T>(int tasks, Func<int, Task<T>> body)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, tasks).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await body(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(running);
    }

    private static Task<int[]> RaceAsync(int tasks, Func<Task> body) => RaceAsync(tasks, async _ =>
    {
        await body();
        return 0;
    });
}
