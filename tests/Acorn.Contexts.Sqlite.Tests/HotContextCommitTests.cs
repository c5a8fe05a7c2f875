namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>The manager pipelines one context's writes, so concurrent writers of a hot context share SQLite commits.</summary>
public sealed class HotContextCommitTests : IDisposable
{
    private readonly TempDatabase _database = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IncrementsOfOneContext_From32Tasks_ShareCommits_AndAllLand()
    {
        await using var store = new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path });
        var manager = new ContextManager(store);
        await manager.CreateAsync("hot", ContextContent.Parse("""{"n":0}"""), Ct);
        var batchesBefore = store.CommittedBatches;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < 20; i++)
            {
                await manager.UpdateAsync("hot", s => ContextContent.Parse($$"""{"n":{{s.Data.GetProperty("n").GetInt32() + 1}}}"""), Ct);
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(writers);

        var state = await manager.GetAsync("hot", Ct);
        Assert.Equal((641L, 640), (state.Version, state.Data.GetProperty("n").GetInt32()));
        Assert.InRange(store.CommittedBatches - batchesBefore, 1, 639);
    }

    public void Dispose() => _database.Dispose();
}
