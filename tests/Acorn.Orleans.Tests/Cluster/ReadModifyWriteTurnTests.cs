using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Orleans.Tests.Cluster;

/// <summary>
/// The local turn of <see cref="ContextGrainClient"/>: one client's read-modify-writes of a context never conflict with
/// each other, two clients' only with each other's, and no update is lost either way.
/// </summary>
/// <param name="cluster">The cluster.</param>
public sealed class ReadModifyWriteTurnTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    private const int Tasks = 32;
    private const int UpdatesEach = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_Clients_Tasks_Take_Turns_So_Each_Function_Runs_Once()
    {
        var client = new ContextGrainClient(cluster.Cluster.Client, scope: "turn-one");
        await client.CreateAsync("n", Counter(0), Ct);
        var attempts = 0;

        await RaceAsync(Tasks, _ => client.UpdateAsync("n", s => { Interlocked.Increment(ref attempts); return Counter(CounterOf(s) + 1); }, Ct));

        var final = await client.GetAsync("n", Ct);
        Assert.Equal((Tasks * UpdatesEach, 1L + (Tasks * UpdatesEach)), (CounterOf(final), final.Version));

        // Nobody else writes the context, so no run conflicts: every function ran exactly once.
        Assert.Equal(Tasks * UpdatesEach, attempts);
    }

    [Fact]
    public async Task Two_Clients_Lose_No_Update_And_Only_Conflict_With_Each_Other()
    {
        var first = new ContextGrainClient(cluster.Cluster.Client, scope: "turn-two");
        var second = new ContextGrainClient(cluster.Cluster.Client, scope: "turn-two");
        await first.CreateAsync("n", Counter(0), Ct);
        var attempts = 0;

        await RaceAsync(Tasks, task => (task % 2 == 0 ? first : second)
            .UpdateAsync("n", s => { Interlocked.Increment(ref attempts); return Counter(CounterOf(s) + 1); }, Ct));

        var final = await first.GetAsync("n", Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{(double)attempts / (Tasks * UpdatesEach):0.00} attempts per update with two clients");
        Assert.Equal((Tasks * UpdatesEach, 1L + (Tasks * UpdatesEach)), (CounterOf(final), final.Version));
        Assert.True(attempts >= Tasks * UpdatesEach);
    }

    [Fact]
    public async Task A_Function_That_Throws_Fails_Only_Its_Own_Caller()
    {
        var client = new ContextGrainClient(cluster.Cluster.Client, scope: "turn-throw");
        await client.CreateAsync("n", Counter(0), Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(task => Record.ExceptionAsync(() =>
            client.UpdateAsync("n", s => task % 4 == 0 ? throw new FormatException($"task {task}") : Counter(CounterOf(s) + 1), Ct)).AsTask()));

        var final = await client.GetAsync("n", Ct);
        Assert.All(outcomes.Where((_, task) => task % 4 == 0), e => Assert.IsType<FormatException>(e));
        Assert.All(outcomes.Where((_, task) => task % 4 != 0), Assert.Null);
        Assert.Equal((Tasks * 3 / 4, 1L + (Tasks * 3 / 4)), (CounterOf(final), final.Version));
    }

    [Fact]
    public async Task A_Function_That_Writes_Its_Own_Context_Fails_Instead_Of_Waiting_For_Itself()
    {
        var client = new ContextGrainClient(cluster.Cluster.Client, scope: "turn-self");
        await client.CreateAsync("n", Counter(0), Ct);
        Task? inner = null;

        var outer = await client.UpdateAsync("n", s =>
        {
            inner = client.UpdateAsync("n", t => Counter(CounterOf(t) + 10), Ct);
            return Counter(CounterOf(s) + 1);
        }, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => inner!);
        Assert.Equal((2L, 1L), (outer.Version, CounterOf(outer)));
    }

    private static async Task RaceAsync(int tasks, Func<int, Task> update)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Enumerable.Range(0, tasks).Select(task => Task.Run(async () =>
        {
            await gate.Task;
            for (var i = 0; i < UpdatesEach; i++)
            {
                await update(task);
            }
        }, Ct)).ToArray();
        gate.SetResult();
        await Task.WhenAll(running);
    }

    private static ContextContent Counter(long n) => new(JsonSerializer.SerializeToElement(new { n }));

    private static long CounterOf(ContextState state) => state.Data.GetProperty("n").GetInt64();
}
