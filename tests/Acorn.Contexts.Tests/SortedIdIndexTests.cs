using Acorn.Contexts.Internal;

namespace Acorn.Contexts.Tests;

/// <summary>The ordered id index behind listing: a model check, its page bounds, and walks while others change it.</summary>
public sealed class SortedIdIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void RandomAddsAndRemoves_LeaveWhatASortedSetLeaves()
    {
        var index = new SortedIdIndex();
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(20261201);
        for (var i = 0; i < 20_000; i++)
        {
            var id = $"k{random.Next(2_000):D4}";
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(id), index.Remove(id));
            }
            else
            {
                Assert.Equal(model.Add(id), index.Add(id));
            }

            Assert.Equal(model.Contains(id), index.Contains(id));
        }

        Assert.Equal(model, index.After(null, null));
        Assert.Equal(model.Count, index.Count);
        var middle = model.ElementAt(model.Count / 2);
        Assert.Equal(model.Where(id => string.CompareOrdinal(id, middle) > 0), index.After(middle, null));
    }

    [Theory]
    [InlineData(null, "a:", "a:1 a:2")]
    [InlineData("a:1", "a:", "a:2")]
    [InlineData("a:2", "a:", "")]
    [InlineData(null, "a", "a a:1 a:2 ab")]
    [InlineData("a", "b:", "b:1 b:2")]
    [InlineData("b:1", "a:", "")]
    [InlineData("ab", null, "b:1 b:2 c")]
    [InlineData("c", null, "")]
    [InlineData(null, "d", "")]
    [InlineData("0", "", "a a:1 a:2 ab b:1 b:2 c")]
    public void After_StartsPastTheCursor_AndEndsPastThePrefix(string? after, string? prefix, string expected)
    {
        var index = new SortedIdIndex();
        foreach (var id in (string[])["c", "b:2", "a:2", "ab", "a", "b:1", "a:1"])
        {
            index.Add(id);
        }

        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), index.After(after, prefix));
    }

    [Fact]
    public async Task Walks_SeeEveryStableIdOnce_InOrder_WhileOthersAreAddedAndRemoved()
    {
        var index = new SortedIdIndex();
        var stable = Enumerable.Range(0, 200).Select(i => $"s{i * 4:D4}").ToList();
        foreach (var id in stable)
        {
            index.Add(id);
        }

        // Each writer owns its ids (the manager changes one id only from that id's turn); they sort between the stable ones.
        const int writers = 4;
        const int walks = 400;
        const int changesEach = 2_000;
        var progress = new int[writers];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changes = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await gate.Task;
            var random = new Random(writer);
            var mine = Enumerable.Range(0, 200).Select(i => $"s{(i * 4) + 1 + (writer % 3):D4}-{writer}").ToList();
            var present = new HashSet<string>();
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                var id = mine[random.Next(mine.Count)];
                if (present.Add(id))
                {
                    Assert.True(index.Add(id));
                }
                else
                {
                    present.Remove(id);
                    Assert.True(index.Remove(id));
                }

                count++;
                Volatile.Write(ref progress[writer], count);
            }

            return (present, count);
        })).ToArray();

        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            // Walks go on until every writer has made its share of changes, so they overlap on a loaded machine too.
            for (var walk = 0; walk < walks || Enumerable.Range(0, writers).Any(w => Volatile.Read(ref progress[w]) < changesEach); walk++)
            {
                var seen = index.After(null, null).ToList();
                for (var i = 1; i < seen.Count; i++)
                {
                    Assert.True(string.CompareOrdinal(seen[i - 1], seen[i]) < 0, $"walk {walk}: '{seen[i - 1]}' before '{seen[i]}'");
                }

                Assert.Equal(stable, seen.Where(id => id.Length == 5));
            }
        })).ToArray();

        gate.SetResult();
        await Task.WhenAll(readers);
        await stop.CancelAsync();
        var results = await Task.WhenAll(changes);

        Assert.All(results, r => Assert.True(r.count >= changesEach));
        var expected = stable.Concat(results.SelectMany(r => r.present)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, index.After(null, null));
        Assert.Equal(expected.Count, index.Count);
    }

    [Fact]
    public async Task AddingInOrder_WhileOthersAddAndRemoveBetween_LeavesEveryIdInItsPlace()
    {
        var index = new SortedIdIndex();
        var loaded = Enumerable.Range(0, 5_000).Select(i => $"l{i:D5}").ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = Task.Run(async () =>
        {
            await gate.Task;
            foreach (var batch in loaded.Chunk(256))
            {
                index.AddInOrder(batch);
            }
        }, Ct);

        // Ids that sort between the loaded ones (l00012a after l00012), added and removed while the load goes on.
        var others = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            await gate.Task;
            var kept = new List<string>();
            for (var i = writer; i < loaded.Count; i += 2)
            {
                var id = $"l{i:D5}{(char)('a' + writer)}";
                Assert.True(index.Add(id));
                if (i % 3 == 0)
                {
                    Assert.True(index.Remove(id));
                }
                else
                {
                    kept.Add(id);
                }
            }

            return kept;
        }, Ct)).ToArray();

        gate.SetResult();
        await load;
        var kept = (await Task.WhenAll(others)).SelectMany(k => k);

        var expected = loaded.Concat(kept).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, index.After(null, null));
        Assert.Equal(expected.Count, index.Count);
        Assert.All(expected, id => Assert.True(index.Contains(id)));
    }
}
