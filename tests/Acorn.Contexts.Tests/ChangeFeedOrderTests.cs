using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// An all-contexts subscriber receives changes in the order of their sequence numbers, so a gap always means a dropped
/// change (issue 15, item 4: 7 arrived before 6 when two contexts published at once).
/// </summary>
public sealed class ChangeFeedOrderTests : InMemoryContextTestBase
{
    [Fact]
    public async Task ChangesOfManyContexts_WrittenAtOnce_ArriveNumberedInOrder_WithoutGaps()
    {
        const int Tasks = 32, Writes = 1_000;
        var manager = await NewManagerAsync(new ContextOptions { ChangeFeedCapacity = Tasks * Writes });
        string[] ids = [.. Enumerable.Range(0, 8).Select(i => $"c{i}")];
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        using var all = manager.Subscribe();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Tasks).Select(task => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < Writes; i++)
            {
                await manager.UpdateAsync(ids[(task + i) % ids.Length], Increment, Ct);
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(writers);

        var sequences = new List<long>();
        while (all.TryRead(out var change))
        {
            sequences.Add(change.Sequence);
        }

        Assert.Equal(0, all.DroppedCount);
        Assert.Equal(Tasks * Writes, sequences.Count);
        for (var i = 1; i < sequences.Count; i++)
        {
            Assert.True(sequences[i] == sequences[i - 1] + 1, $"change {sequences[i]} arrived after {sequences[i - 1]}");
        }
    }
}
