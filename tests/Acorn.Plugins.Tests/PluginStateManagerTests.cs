using System.Collections.Concurrent;
using System.Text;
using Acorn.Contexts;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

public sealed class PluginStateManagerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Func<CancellationToken, Task<(ReadOnlyMemory<byte> State, string? Problem)>> Export(string text, Task? until = null, ConcurrentQueue<string>? started = null) =>
        async _ =>
        {
            started?.Enqueue(text);
            if (until is not null)
            {
                await until;
            }

            return (Encoding.UTF8.GetBytes(text), null);
        };

    [Fact]
    public async Task Saves_of_one_plugin_export_one_at_a_time_and_the_later_one_is_stored_last()
    {
        var store = new InMemoryPluginStateStore();
        var states = new PluginStateManager(store);
        var releaseFirst = new TaskCompletionSource();
        var started = new ConcurrentQueue<string>();

        var first = states.SaveAsync("p", Export("older", releaseFirst.Task, started), Token);
        var second = states.SaveAsync("p", Export("newer", null, started), Token);
        var other = await states.SaveAsync("q", Export("independent"), Token);

        // The second export has not even started while the first one is still running; another plugin is not held up.
        Assert.Equal(["older"], started);
        Assert.True(other.Succeeded);
        releaseFirst.SetResult();
        var results = await Task.WhenAll(first, second);

        Assert.Equal([1L, 2L], results.Select(r => r.State!.Version));
        Assert.Equal("newer", Encoding.UTF8.GetString((await store.GetAsync("p", Token))!.State.Span));
    }

    [Fact]
    public async Task A_save_cancelled_while_waiting_keeps_its_place_in_the_order()
    {
        var store = new InMemoryPluginStateStore();
        var states = new PluginStateManager(store);
        var releaseFirst = new TaskCompletionSource();
        var started = new ConcurrentQueue<string>();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var first = states.SaveAsync("p", Export("first", releaseFirst.Task, started), Token);
        var cancelled = states.SaveAsync("p", Export("cancelled", null, started), cancel.Token);
        var third = states.SaveAsync("p", Export("third", null, started), Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(["first"], started);
        releaseFirst.SetResult();
        await Task.WhenAll(first, third);

        Assert.Equal(["first", "third"], started);
        Assert.Equal("third", Encoding.UTF8.GetString((await store.GetAsync("p", Token))!.State.Span));
    }

    [Fact]
    public async Task A_store_failure_is_a_result_not_an_exception()
    {
        var states = new PluginStateManager(new FailingStore());

        var saved = await states.SaveAsync("p", Export("x"), Token);
        var read = await states.ReadAsync("p", Token);

        Assert.Equal("its state could not be saved: disk full", saved.Problem);
        Assert.Equal("its saved state could not be read: disk full", read.Problem);
    }

    private sealed class FailingStore : IPluginStateStore
    {
        public Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken) =>
            throw new ContextStoreException(null, "disk full");

        public Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
            throw new ContextStoreException(null, "disk full");

        public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
            throw new ContextStoreException(null, "disk full");
    }
}
