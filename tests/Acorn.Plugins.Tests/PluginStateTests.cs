using System.Text;
using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

public sealed class PluginStateTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly PluginManagerOptions _options = new() { UnloadGcCycles = 20 };
    private readonly TempDatabase _database = new();

    public void Dispose()
    {
        _folders.Dispose();
        _database.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginManager> ManagerAsync(IPluginStateStore? store = null)
    {
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        Assert.Empty(discovered.Problems);
        var manager = new PluginManager(_options, _logs, stateStore: store);
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    private SqliteContextStore OpenDatabase() => _database.Open();

    private void Configure(string pluginId, string json) => _options.Configuration[pluginId] = JsonDocument.Parse(json).RootElement.Clone();

    private IReadOnlyList<string> Starts(string pluginId = "test.counter") => _logs.MessagesOf("Acorn.Plugins." + pluginId);

    private static string Text(PluginStateRecord? record) => record is null ? "nothing" : Encoding.UTF8.GetString(record.State.Span);

    [Fact]
    public async Task State_survives_unload_and_load_and_is_carried_over_by_reload()
    {
        _folders.Add("Counter");
        using var manager = await ManagerAsync();

        await manager.LoadAsync("test.counter", Token);
        await manager.UnloadAsync("test.counter", cascade: false, Token);
        await manager.LoadAsync("test.counter", Token);
        var reloaded = await manager.ReloadAsync("test.counter", Token);

        Assert.Equal(PluginStatus.Active, reloaded.Status);
        Assert.Equal(
            ["start 1, stored nothing", """start 2, stored {"starts":1}""", """start 3, stored {"starts":2}"""],
            Starts());
    }

    [Fact]
    public async Task State_survives_a_host_restart_on_the_same_sqlite_file()
    {
        _folders.Add("Counter");

        // First run: saved on demand while running, then the host goes away without unloading the plugin.
        await using (var store = OpenDatabase())
        {
            using var manager = await ManagerAsync(store);
            await manager.LoadAsync("test.counter", Token);
            var saved = await manager.SaveStateAsync("test.counter", Token);
            Assert.Equal((true, 1L, """{"starts":1}"""), (saved.Succeeded, saved.State!.Version, Text(saved.State)));
        }

        // Second run: a new store and a new manager on the same file; this time the unload saves.
        await using (var store = OpenDatabase())
        {
            using var manager = await ManagerAsync(store);
            await manager.LoadAsync("test.counter", Token);
            await manager.UnloadAsync("test.counter", cascade: false, Token);
        }

        await using (var store = OpenDatabase())
        {
            using var manager = await ManagerAsync(store);
            await manager.LoadAsync("test.counter", Token);
            Assert.Equal(2, (await store.GetAsync("test.counter", Token))!.Version);
        }

        Assert.Equal(
            ["start 1, stored nothing", """start 2, stored {"starts":1}""", """start 3, stored {"starts":2}"""],
            Starts());
    }

    [Fact]
    public async Task A_throwing_export_is_reported_the_unload_goes_on_and_the_state_saved_before_stays()
    {
        Configure("test.counter", """{"throwOnExport":true,"checkpoint":true}""");
        _folders.Add("Counter");
        var store = new InMemoryPluginStateStore();
        using var manager = await ManagerAsync(store);
        await manager.LoadAsync("test.counter", Token);

        var stopped = await manager.UnloadAsync("test.counter", cascade: false, Token);
        var result = await manager.WaitForCollectionAsync("test.counter", Token);

        Assert.Equal(PluginStatus.Stopped, stopped.Status);
        Assert.Equal(PluginStatus.Unloaded, result.Status);
        Assert.Equal("state export threw InvalidOperationException: test.counter refuses to export", stopped.Reason);
        Assert.Equal(stopped.Reason, result.Reason);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Id == 3004 && r.Message.Contains("refuses to export", StringComparison.Ordinal));

        // The checkpoint the plugin wrote through its context at start is what the store still holds.
        var kept = await store.GetAsync("test.counter", Token);
        Assert.Equal((1L, """{"starts":1}"""), (kept!.Version, Text(kept)));
    }

    [Fact]
    public async Task Save_all_reports_each_plugins_failure_and_saves_the_rest()
    {
        _folders.AddAs("Counter", "counter.good");
        _folders.AddAs("Counter", "counter.bad");
        _folders.AddAs("Greeter", "stateless");
        _folders.AddAs("Counter", "counter.stopped");
        Configure("counter.bad", """{"throwOnExport":"true"}""");
        var store = new InMemoryPluginStateStore();
        using var manager = await ManagerAsync(store);
        await manager.LoadAllAsync(Token);
        await manager.UnloadAsync("counter.stopped", cascade: false, Token);

        var results = await manager.SaveAllStatesAsync(Token);

        Assert.Equal(
            [("counter.bad", "state export threw InvalidOperationException: test.counter refuses to export"), ("counter.good", null)],
            results.Select(r => (r.PluginId, r.Problem)));
        Assert.Equal("""{"starts":1}""", Text(await store.GetAsync("counter.good", Token)));
        Assert.Null(await store.GetAsync("counter.bad", Token));
        Assert.Equal(1, (await store.GetAsync("counter.stopped", Token))!.Version);
    }

    [Fact]
    public async Task Load_all_states_reads_every_registered_plugin_and_reports_what_is_missing()
    {
        _folders.AddAs("Counter", "counter.saved");
        _folders.AddAs("Counter", "counter.never");
        var store = new InMemoryPluginStateStore();
        await store.SaveAsync("counter.saved", "{\"starts\":7}"u8.ToArray(), Token);
        using var manager = await ManagerAsync(store);

        var results = await manager.LoadAllStatesAsync(Token);

        Assert.Equal(
            [("counter.never", "nothing", true), ("counter.saved", """{"starts":7}""", true)],
            results.Select(r => (r.PluginId, Text(r.State), r.Succeeded)));
    }

    [Fact]
    public async Task Saving_a_plugin_that_cannot_export_explains_why()
    {
        _folders.AddAs("Counter", "counter.idle");
        _folders.AddAs("Greeter", "stateless");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("stateless", Token);

        var idle = await manager.SaveStateAsync("counter.idle", Token);
        var stateless = await manager.SaveStateAsync("stateless", Token);

        Assert.Equal("plugin 'counter.idle' is Discovered, not active: only a running plugin has state to export", idle.Problem);
        Assert.Equal("plugin 'stateless' does not implement IStatefulPlugin, so it has no state to export", stateless.Problem);
        await Assert.ThrowsAsync<PluginNotFoundException>(() => manager.SaveStateAsync("nobody", Token));
    }

    [Fact]
    public async Task A_load_cancelled_while_reading_the_saved_state_ends_failed_not_loading()
    {
        _folders.Add("Counter");
        var store = new StalledStore();
        using var manager = await ManagerAsync(store);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var failed = manager.WhenStatusAsync("test.counter", PluginStatus.Failed, Token);

        var load = manager.LoadAsync("test.counter", cancel.Token);
        await store.Reading.Task.WaitAsync(Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load);
        var info = await failed;
        Assert.Equal((PluginStatus.Failed, "load was cancelled by the host"), (info.Status, info.Reason));
        Assert.Empty(Starts());
    }

    [Fact]
    public async Task A_plugin_whose_saved_state_cannot_be_read_does_not_start()
    {
        _folders.Add("Counter");
        var store = OpenDatabase();
        await store.SaveAsync("test.counter", "{\"starts\":5}"u8.ToArray(), Token);
        await store.DisposeAsync();

        // Unreadable: the plugin_state table is gone from under a store that believes the file is current.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE plugin_state;";
            drop.ExecuteNonQuery();
        }

        await using var broken = OpenDatabase();
        using var manager = await ManagerAsync(broken);

        var result = await manager.LoadAsync("test.counter", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith("its saved state could not be read: ", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Starts());
    }

    /// <summary>A store whose reads wait until they are cancelled.</summary>
    private sealed class StalledStore : IPluginStateStore
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<PluginStateRecord?> GetAsync(string pluginId, CancellationToken cancellationToken)
        {
            Reading.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }

        public Task<PluginStateRecord> SaveAsync(string pluginId, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) =>
            throw new NotSupportedException("this test never saves");

        public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
            throw new NotSupportedException("this test never deletes");
    }
}
