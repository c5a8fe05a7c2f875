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

    [Fact]
    public void SortKeys_OrderAsTheirStrings_WheneverTheyDiffer()
    {
        // Long shared prefixes, ids shorter and longer than a key, characters past ASCII (a cursor may hold any).
        var random = new Random(20261206);
        const string Alphabet = "-.0:AZ_az\u0000\u007f\u0080\u00e9\u4e2d\uffff";
        var strings = Enumerable.Range(0, 600).Select(_ =>
        {
            var length = random.Next(0, 24);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = i < 10 && random.Next(4) > 0 ? 't' : Alphabet[random.Next(Alphabet.Length)];
            }

            return new string(chars);
        }).ToList();

        var decided = 0;
        foreach (var left in strings)
        {
            foreach (var right in strings)
            {
                var (leftKey, rightKey) = (SortedIdIndex.SortKey(left), SortedIdIndex.SortKey(right));
                if (leftKey != rightKey)
                {
                    decided++;
                    Assert.True(
                        Math.Sign(leftKey.CompareTo(rightKey)) == Math.Sign(string.CompareOrdinal(left, right)),
                        $"keys of '{left}' and '{right}' order the other way round");
                }
            }
        }

        // The keys must decide most pairs, or the index reads strings after all.
        Assert.True(decided > strings.Count * strings.Count / 2, $"keys decided only {decided} pairs");
    }

    [Fact]
    public void AnIdAddedToAFullChunk_AtAnyPlace_IsFoundThereAfter()
    {
        // 128 ids fill a chunk exactly; the next one splits it, wherever it goes (before, between or after them).
        var full = Enumerable.Range(0, 128).Select(i => $"k{(2 * i) + 1:D4}").ToList();
        for (var place = 0; place <= full.Count; place++)
        {
            var index = new SortedIdIndex();
            index.AddInOrder(full);
            var added = $"k{2 * place:D4}";
            Assert.True(index.Add(added));

            var expected = full.Append(added).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, index.After(null, null));
            Assert.All(expected, id => Assert.True(index.Contains(id), $"'{id}' lost after adding '{added}'"));
            Assert.All(expected, id => Assert.False(index.Add(id), $"'{id}' added twice after adding '{added}'"));
        }
    }

    [Fact]
    public void EmptyingAndRefillingManyChunks_LeavesWhatASortedSetLeaves()
    {
        var index = new SortedIdIndex();
        var model = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(7);
        var ids = Enumerable.Range(0, 5_000).Select(i => $"tenant-{i % 7}:serial-{i:D8}").ToList();

        // In order (whole chunks), then out in a random order down to nothing, then back in a random order.
        index.AddInOrder(ids.Order(StringComparer.Ordinal));
        model.UnionWith(ids);
        foreach (var (id, step) in ids.OrderBy(_ => random.Next()).Select((id, step) => (id, step)))
        {
            Assert.True(index.Remove(id));
            model.Remove(id);
            if (step % 499 == 0)
            {
                Assert.Equal(model, index.After(null, null));
            }
        }

        Assert.Equal(0, index.Count);
        Assert.Empty(index.After(null, null));
        foreach (var id in ids.OrderBy(_ => random.Next()))
        {
            Assert.True(index.Add(id));
            model.Add(id);
        }

        Assert.Equal(model, index.After(null, null));
        Assert.Equal(model.Count, index.Count);
        foreach (var cursor in (string[])["tenant-3:serial-00002500", "tenant-3:serial-00002500x", "tenant-3:\u00e9", "\u00e9", "", "tenant-"])
        {
            Assert.Equal(model.Where(id => string.CompareOrdinal(id, cursor) > 0), index.After(cursor, null));
        }

        Assert.Equal(model.Where(id => id.StartsWith("tenant-4:", StringComparison.Ordinal)), index.After(null, "tenant-4:"));
    }

    [Fact]
    public void DeletingMostIds_LeavesFewChunks()
    {
        var index = new SortedIdIndex();
        var random = new Random(11);
        var ids = Enumerable.Range(0, 20_000).Select(_ => $"ctx-{random.NextInt64():x16}").Distinct().ToList();
        foreach (var id in ids)
        {
            index.Add(id);
        }

        var kept = ids.OrderBy(_ => random.Next()).Take(ids.Count / 20).ToHashSet();
        foreach (var id in ids.Where(id => !kept.Contains(id)))
        {
            Assert.True(index.Remove(id));
        }

        Assert.Equal(kept.Order(StringComparer.Ordinal), index.After(null, null));
        Assert.All(kept, id => Assert.True(index.Contains(id)));

        // Chunks thinned out by deletes join their neighbours: about one chunk per 32-64 remaining ids, not one per id.
        Assert.True(index.ChunkCount <= (kept.Count / 16) + 1, $"{index.ChunkCount} chunks hold {kept.Count} ids");
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
