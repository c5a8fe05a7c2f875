using System.Text;
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary><see cref="PluginManager.DeleteStateAsync"/> forgets a stopped plugin's state in the in-memory and the SQLite store.</summary>
public sealed class PluginStateDeleteTests : IDisposable
{
    private const string Counter = "test.counter";

    private readonly PluginFolders _folders = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly TempDatabase _database = new();

    public void Dispose()
    {
        _folders.Dispose();
        _database.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginManager> ManagerAsync(IPluginStateStore store)
    {
        _folders.Add("Counter");
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        var manager = new PluginManager(new PluginManagerOptions { UnloadGcCycles = 20 }, _logs, stateStore: store);
        manager.Register(Assert.Single(discovered.Plugins));
        return manager;
    }

    private SqliteContextStore OpenDatabase() => _database.Open();

    private IPluginStateStore Store(string kind) => kind == "sqlite" ? OpenDatabase() : new InMemoryPluginStateStore();

    private IReadOnlyList<string> Starts() => _logs.MessagesOf("Acorn.Plugins." + Counter);

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Deleting_a_stopped_plugins_state_makes_its_next_load_start_fresh(string kind)
    {
        var store = Store(kind);
        using (var manager = await ManagerAsync(store))
        {
            await manager.LoadAsync(Counter, Token);
            await manager.UnloadAsync(Counter, cascade: false, Token);
            Assert.NotNull(await store.GetAsync(Counter, Token));

            Assert.True(await manager.DeleteStateAsync(Counter, Token));
            Assert.False(await manager.DeleteStateAsync(Counter, Token));
            Assert.Null(await store.GetAsync(Counter, Token));
            await manager.LoadAsync(Counter, Token);
        }

        Assert.Equal(["start 1, stored nothing", "start 1, stored nothing"], Starts());
        if (store is SqliteContextStore sqlite)
        {
            // Gone from the file, not only from a cache: a new store on the same file has nothing either.
            await sqlite.DisposeAsync();
            await using var reopened = OpenDatabase();
            Assert.Null(await reopened.GetAsync(Counter, Token));
        }
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Deleting_an_active_plugins_state_is_refused_and_keeps_it(string kind)
    {
        var store = Store(kind);
        using var manager = await ManagerAsync(store);
        await manager.LoadAsync(Counter, Token);
        await manager.SaveStateAsync(Counter, Token);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.DeleteStateAsync(Counter, Token));

        Assert.Equal(
            $"Plugin '{Counter}' is active: unload it before deleting its saved state, which it would otherwise save again at its next unload.",
            error.Message);
        Assert.Equal("""{"starts":1}""", Encoding.UTF8.GetString((await store.GetAsync(Counter, Token))!.State.Span));
        await Assert.ThrowsAsync<PluginNotFoundException>(() => manager.DeleteStateAsync("nobody", Token));
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_delete_is_refused_while_a_load_is_running()
    {
        var store = new GatedStore { ReleaseRead = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var manager = await ManagerAsync(store);

        // The load is held while it reads the plugin's saved state: the delete asked for meanwhile finds the plugin busy.
        // (Without the hold, a load that completes at once, its assembly already loaded by another test, left it active.)
        var load = manager.LoadAsync(Counter, Token);
        await store.Reading.Task.WaitAsync(Token);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.DeleteStateAsync(Counter, Token));
        store.ReleaseRead.SetResult();
        await load;

        Assert.Contains("is being loaded or unloaded, or its state is being deleted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_asked_for_during_a_delete_waits_for_it_and_starts_without_the_deleted_state()
    {
        var store = new GatedStore();
        await store.SaveAsync(Counter, """{"starts":5}"""u8.ToArray(), Token);
        using var manager = await ManagerAsync(store);

        var delete = manager.DeleteStateAsync(Counter, Token);
        await store.Deleting.Task.WaitAsync(Token);
        var load = manager.LoadAsync(Counter, Token);
        var readsDuringDelete = store.Reads;
        store.ReleaseDelete.SetResult();

        Assert.True(await delete);
        Assert.Equal(PluginStatus.Active, (await load).Status);
        Assert.Equal(0, readsDuringDelete);
        Assert.Equal(["start 1, stored nothing"], Starts());
    }

    [Fact]
    public async Task A_delete_waits_for_the_save_asked_for_before_it()
    {
        var store = new InMemoryPluginStateStore();
        var states = new PluginStateManager(store);
        var releaseExport = new TaskCompletionSource();

        var save = states.SaveAsync(Counter, async _ =>
        {
            await releaseExport.Task;
            return ("saved"u8.ToArray(), null);
        }, Token);
        var delete = states.DeleteAsync(Counter, Token);
        releaseExport.SetResult();

        Assert.True((await save).Succeeded);
        Assert.True(await delete);
        Assert.Null(await store.GetAsync(Counter, Token));
    }

    /// <summary>An in-memory store whose deletes, and optionally reads, wait until the test releases them; it counts the reads.</summary>
    private sealed class GatedStore : IPluginStateStore
    {
        private readonly InMemoryPluginStateStore _inner = new();

        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, each read signals <see cref="Reading"/> and waits for it.</summary>
        public TaskCompletionSource? ReleaseRead { get; init; }

        public TaskCompletionSource Deleting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseDelete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads { get; private set; }

        public async Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
        {
            Reads++;
            Reading.TrySetResult();
            if (ReleaseRead is { } release)
            {
                await release.Task.WaitAsync(cancellationToken);
            }

            return await _inner.GetAsync(pluginId, cancellationToken);
        }

        public Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
            _inner.SaveAsync(pluginId, state, cancellationToken);

        public async Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken)
        {
            Deleting.TrySetResult();
            await ReleaseDelete.Task.WaitAsync(cancellationToken);
            return await _inner.DeleteAsync(pluginId, cancellationToken);
        }
    }
}
