namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    /// <summary>How many increments each of the 64 tasks makes in the lost-update test.</summary>
    protected virtual int IncrementsPerTask => 1000;

    /// <summary>How many rounds the race tests run.</summary>
    protected virtual int RaceRounds => 200;

    [Fact]
    public async Task ConcurrentCreates_OfOneId_ExactlyOneWins()
    {
        var manager = await NewManagerAsync();
        for (var round = 0; round < RaceRounds; round++)
        {
            var id = $"race-{round}";
            var results = await RaceAsync(16, async task =>
            {
                try
                {
                    await manager.CreateAsync(id, Counter(task), Ct);
                    return task;
                }
                catch (ContextAlreadyExistsException)
                {
                    return -1;
                }
            });

            var winners = results.Where(r => r >= 0).ToList();
            Assert.Single(winners);
            var state = await manager.GetAsync(id, Ct);
            Assert.Equal((1L, (long)winners[0]), (state.Version, CounterOf(state)));
        }
    }

    [Fact]
    public async Task ContextCap_IsNeverExceeded_By64RacingCreators()
    {
        const int cap = 10;
        var manager = await NewManagerAsync(new ContextOptions { MaxContexts = cap });
        for (var round = 0; round < RaceRounds / 10; round++)
        {
            var outcomes = await RaceAsync(64, async task =>
            {
                try
                {
                    await manager.CreateAsync($"cap-{round}-{task}", Counter(task), Ct);
                    return true;
                }
                catch (ContextLimitExceededException error)
                {
                    Assert.Equal(cap, error.Limit);
                    return false;
                }
            });

            Assert.Equal(cap, outcomes.Count(created => created));
            Assert.Equal(cap, await manager.CountAsync(Ct));
            var page = await manager.ListAsync(limit: 1000, cancellationToken: Ct);
            foreach (var state in page.Items)
            {
                await manager.DeleteAsync(state.Id, cancellationToken: Ct);
            }
        }

        Assert.Equal(0, await (await ReopenAsync(new ContextOptions { MaxContexts = cap })).CountAsync(Ct));
    }

    [Fact]
    public async Task UpdateRacingDelete_NeverResurrectsTheContext()
    {
        var manager = await NewManagerAsync();
        for (var round = 0; round < RaceRounds; round++)
        {
            var id = $"doomed-{round}";
            await manager.CreateAsync(id, Counter(0), Ct);
            await RaceAsync(3, async task =>
            {
                try
                {
                    _ = task switch
                    {
                        0 => await manager.DeleteAsync(id, cancellationToken: Ct),
                        1 => await manager.UpdateAsync(id, Counter(1), cancellationToken: Ct),
                        _ => await manager.UpdateAsync(id, Increment, Ct),
                    };
                }
                catch (ContextNotFoundException)
                {
                    // The update lost the race to the delete: the only acceptable failure.
                }

                return task;
            });

            Assert.Null(await manager.FindAsync(id, Ct));
        }

        var reopened = await ReopenAsync();
        Assert.Equal(0, await reopened.CountAsync(Ct));
    }

    [Fact]
    public async Task ReadModifyWrite_From64Tasks_LosesNoUpdate_AndVersionsStepByOne()
    {
        var manager = await NewManagerAsync(new ContextOptions { ChangeFeedCapacity = 64 * IncrementsPerTask + 1 });
        using var history = manager.Subscribe("counter");
        await manager.CreateAsync("counter", Counter(0), Ct);

        await RaceAsync(64, async _ =>
        {
            for (var i = 0; i < IncrementsPerTask; i++)
            {
                await manager.UpdateAsync("counter", Increment, Ct);
            }

            return 0;
        });

        var total = 64L * IncrementsPerTask;
        var final = await manager.GetAsync("counter", Ct);
        Assert.Equal((total, total + 1), (CounterOf(final), final.Version));

        var versions = new List<long>();
        while (history.TryRead(out var change))
        {
            versions.Add(change.Version);
            Assert.Equal(change.Version - 1, CounterOf(change.State!));
        }

        Assert.Equal(0, history.DroppedCount);
        Assert.Equal(Enumerable.Range(1, (int)total + 1).Select(v => (long)v), versions);
        var persisted = await (await ReopenAsync()).GetAsync("counter", Ct);
        Assert.Equal((total, total + 1), (CounterOf(persisted), persisted.Version));
    }

    [Fact]
    public async Task Paging_WhileOthersCreateAndDelete_ShowsEveryStableContextOnce_InOrder()
    {
        var manager = await NewManagerAsync();
        var stable = Enumerable.Range(0, 30).Select(i => $"s-{i * 3:D3}").ToList();
        foreach (var id in stable)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        // Churning ids sort between the stable ones, so every page boundary moves while the readers page.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromMinutes(1)); // bounds the wait below if the churners stop making progress
        var cycles = 0;
        var churn = Enumerable.Range(0, 4).Select(task => Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var id = $"s-{((round * 4) + task) % 90 / 3 * 3 + 1 + (task % 2):D3}";
                try
                {
                    await manager.CreateAsync(id, Counter(round), Ct);
                    await manager.DeleteAsync(id, cancellationToken: Ct);
                    Interlocked.Increment(ref cycles);
                }
                catch (Exception ex) when (ex is ContextAlreadyExistsException or ContextNotFoundException)
                {
                    // Another churner holds this id right now.
                }
            }
        })).ToArray();

        for (var pass = 0; pass < RaceRounds / 10; pass++)
        {
            // Each pass starts only once the churners have moved on, so every pass pages through a changing set.
            var before = Volatile.Read(ref cycles);
            while (Volatile.Read(ref cycles) < before + 4)
            {
                await Task.Delay(1, stop.Token);
            }

            var seen = new List<string>();
            string? after = null;
            do
            {
                var page = await manager.ListAsync(limit: 7, after, cancellationToken: Ct);
                seen.AddRange(page.Items.Select(s => s.Id));
                after = page.Next;
            }
            while (after is not null);

            Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(stable, seen.Where(stable.Contains));
        }

        await stop.CancelAsync();
        await Task.WhenAll(churn);
    }

    /// <summary>Starts <paramref name="tasks"/> tasks that all wait at one gate, opens it, and returns their results.</summary>
    protected static async Task<T[]> RaceAsync<T>(int tasks, Func<int, Task<T>> body)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, tasks)
            .Select(i => Task.Run(async () =>
            {
                await gate.Task;
                return await body(i);
            }))
            .ToArray();
        gate.SetResult();
        return await Task.WhenAll(running);
    }
}
