using System.Collections.Concurrent;
using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

public sealed class PluginManagerTests : IDisposable
{
    private readonly PluginFolders _folders = new();
    private readonly TestLoggerFactory _logs = new();
    private readonly ConcurrentQueue<PluginStatusChangedEventArgs> _changes = new();
    private readonly PluginManagerOptions _options = new() { InitializeTimeout = TimeSpan.FromSeconds(30), UnloadGcCycles = 20 };

    public PluginManagerTests()
    {
        _options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
    }

    public void Dispose() => _folders.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<PluginManager> ManagerAsync()
    {
        var discovered = await PluginDiscovery.DiscoverAsync([_folders.Root], Token);
        Assert.Empty(discovered.Problems);
        var manager = new PluginManager(_options, _logs);
        manager.StatusChanged += (_, change) => _changes.Enqueue(change);
        foreach (var plugin in discovered.Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    /// <summary>The sequence number of a plugin's first change to <paramref name="status"/>.</summary>
    private long When(string id, PluginStatus status) =>
        _changes.Where(c => c.Current.Id == id && c.Current.Status == status).Select(c => c.Sequence).DefaultIfEmpty(-1).Min();

    private static Dictionary<string, PluginStatus> Statuses(IEnumerable<PluginInfo> plugins) => plugins.ToDictionary(p => p.Id, p => p.Status);

    [Fact]
    public async Task Load_all_starts_each_plugin_after_its_dependencies_are_active()
    {
        _folders.AddAs("Greeter", "base");
        _folders.AddAs("Greeter", "left", "1.0.0", "base");
        _folders.AddAs("Greeter", "right", "1.0.0", "base");
        _folders.AddAs("Greeter", "top", "1.0.0", "left", "right");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAllAsync(Token);

        Assert.All(result, p => Assert.Equal(PluginStatus.Active, p.Status));
        foreach (var (plugin, dependency) in new[] { ("left", "base"), ("right", "base"), ("top", "left"), ("top", "right") })
        {
            Assert.True(When(plugin, PluginStatus.Loading) > When(dependency, PluginStatus.Active), $"{plugin} started loading before {dependency} was active");
        }

        Assert.Equal(["greeter started after left,right"], _logs.MessagesOf("Acorn.Plugins.top"));
    }

    [Fact]
    public async Task Throwing_initialize_fails_that_plugin_blocks_its_dependents_and_spares_the_rest()
    {
        _folders.Add("ThrowsOnInitialize");
        _folders.AddAs("Greeter", "needs.throws", "1.0.0", "test.throws");
        _folders.AddAs("Greeter", "needs.needs", "1.0.0", "needs.throws");
        _folders.Add("Hello");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAllAsync(Token);

        var throws = result.Single(p => p.Id == "test.throws");
        Assert.Equal(PluginStatus.Failed, throws.Status);
        Assert.Equal("initialize threw InvalidOperationException: test.throws refuses to start", throws.Reason);
        var blocked = result.Single(p => p.Id == "needs.throws");
        Assert.Equal(PluginStatus.Blocked, blocked.Status);
        Assert.Equal("test.throws", blocked.BlockedBy);
        Assert.Equal("needs.throws", result.Single(p => p.Id == "needs.needs").BlockedBy);
        Assert.Equal(PluginStatus.Active, result.Single(p => p.Id == "test.hello").Status);
        Assert.DoesNotContain(_changes, c => c.Current.Id == "needs.throws" && c.Current.Status == PluginStatus.Loading);
    }

    [Fact]
    public async Task Hanging_initialize_times_out_as_failed_and_never_stays_loading()
    {
        _options.InitializeTimeout = TimeSpan.FromMilliseconds(200);
        _folders.Add("HangsOnInitialize");
        _folders.AddAs("Greeter", "needs.hangs", "1.0.0", "test.hangs");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAllAsync(Token);

        var hangs = result.Single(p => p.Id == "test.hangs");
        Assert.Equal(PluginStatus.Failed, hangs.Status);
        Assert.Equal("initialize did not finish within 0.2 s", hangs.Reason);
        Assert.Equal(PluginStatus.Blocked, result.Single(p => p.Id == "needs.hangs").Status);
        Assert.Equal(PluginStatus.Failed, manager.GetPlugin("test.hangs").Status);
    }

    [Fact]
    public async Task Graph_errors_become_failed_and_blocked_statuses()
    {
        _folders.AddAs("Greeter", "a", "1.0.0", "b");
        _folders.AddAs("Greeter", "b", "1.0.0", "a");
        _folders.AddAs("Greeter", "lonely", "1.0.0", "ghost");
        _folders.AddAs("Greeter", "fine");
        using var manager = await ManagerAsync();

        var result = Statuses(await manager.LoadAllAsync(Token));

        Assert.Equal(PluginStatus.Failed, result["a"]);
        Assert.Equal("plugin 'a' is in a dependency cycle: a -> b -> a", manager.GetPlugin("a").Reason);
        Assert.Equal(PluginStatus.Failed, result["lonely"]);
        Assert.Equal("plugin 'lonely' needs 'ghost' (>=1.0.0), which is not installed", manager.GetPlugin("lonely").Reason);
        Assert.Equal(PluginStatus.Active, result["fine"]);
    }

    [Fact]
    public async Task Plugin_registered_in_code_that_needs_itself_fails_as_a_cycle_instead_of_waiting_for_its_own_load()
    {
        var folder = _folders.AddAs("Greeter", "narcissus");
        var manifest = (await PluginDiscovery.DiscoverAsync([_folders.Root], Token)).Plugins.Single().Manifest;
        using var manager = new PluginManager(_options, _logs);
        manager.Register(new PluginDescriptor(
            manifest with { Dependencies = new Dictionary<string, string> { ["narcissus"] = ">=1.0.0" } }, folder));

        // Bounded: before the fix this load waited for itself forever.
        var result = await manager.LoadAsync("narcissus", Token).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.Equal("plugin 'narcissus' is in a dependency cycle: narcissus -> narcissus", result.Reason);
    }

    [Fact]
    public async Task Unload_with_active_dependents_is_refused_and_names_them()
    {
        _folders.AddAs("Greeter", "base");
        _folders.AddAs("Greeter", "user.one", "1.0.0", "base");
        _folders.AddAs("Greeter", "user.two", "1.0.0", "base");
        using var manager = await ManagerAsync();
        await manager.LoadAllAsync(Token);

        var error = await Assert.ThrowsAsync<PluginHasDependentsException>(() => manager.UnloadAsync("base", cascade: false, Token));

        Assert.Equal(["user.one", "user.two"], error.Dependents);
        Assert.Equal(PluginStatus.Active, manager.GetPlugin("base").Status);
    }

    [Fact]
    public async Task Cascade_unload_stops_dependents_first_and_frees_every_context()
    {
        _folders.AddAs("Greeter", "base");
        _folders.AddAs("Greeter", "user", "1.0.0", "base");
        using var manager = await ManagerAsync();
        await manager.LoadAllAsync(Token);

        var stopped = await manager.UnloadAsync("base", cascade: true, Token);
        var result = await manager.WaitForCollectionAsync("base", Token);

        Assert.Equal(PluginStatus.Stopped, stopped.Status);
        Assert.Equal(PluginStatus.Unloaded, result.Status);
        Assert.Equal(PluginStatus.Unloaded, (await manager.WaitForCollectionAsync("user", Token)).Status);
        Assert.True(When("user", PluginStatus.Stopped) < When("base", PluginStatus.Stopping), "the dependent must be stopped before its dependency stops");
        Assert.Equal(
            [PluginStatus.Discovered, PluginStatus.Loading, PluginStatus.Active, PluginStatus.Stopping, PluginStatus.Stopped, PluginStatus.Unloaded],
            _changes.Where(c => c.Current.Id == "base").OrderBy(c => c.Sequence).Select(c => c.Previous).Append(PluginStatus.Unloaded));
    }

    [Fact]
    public async Task Reload_carries_exported_state_into_the_new_instance()
    {
        _folders.Add("Hello");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.hello", Token);

        var result = await manager.ReloadAsync("test.hello", Token);

        Assert.Equal(PluginStatus.Active, result.Status);
        var greetings = _logs.MessagesOf("Acorn.Plugins.test.hello").Where(m => m.StartsWith("Hello", StringComparison.Ordinal));
        Assert.Equal(["Hello from test.hello, initialization 1", "Hello from test.hello, initialization 2"], greetings);
    }

    [Fact]
    public async Task Plugin_that_keeps_its_context_alive_is_reported_as_leaked()
    {
        _options.UnloadGcCycles = 3;
        _folders.Add("Leaky");
        using var manager = await ManagerAsync();
        await manager.LoadAsync("test.leaky", Token);

        await manager.UnloadAsync("test.leaky", cascade: false, Token);
        var result = await manager.WaitForCollectionAsync("test.leaky", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith("its load context was not collected after 3 garbage collections", result.Reason, StringComparison.Ordinal);
        Assert.Equal(result.Reason, result.Leak);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Id.Id == 3005 && r.Message.Contains("test.leaky", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_loads_of_one_plugin_share_one_transition()
    {
        _folders.Add("Hello");
        using var manager = await ManagerAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => manager.LoadAsync("test.hello", Token)));

        Assert.All(results, r => Assert.Equal(PluginStatus.Active, r.Status));
        Assert.Single(_changes, c => c.Current.Id == "test.hello" && c.Current.Status == PluginStatus.Loading);
        Assert.Single(_logs.MessagesOf("Acorn.Plugins.test.hello"), m => m.StartsWith("Hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Capability_and_name_queries_see_only_what_the_host_granted()
    {
        _folders.Add("Hello");
        _folders.Add("Greeter");
        using var manager = await ManagerAsync();

        Assert.Equal(["test.hello"], manager.GetPluginsWithCapability(PluginCapabilities.ContextsRead).Select(p => p.Id));
        Assert.Empty(manager.GetPluginsWithCapability(PluginCapabilities.ContextsWrite));
        Assert.Equal(["test.greeter"], manager.GetPluginsByName("Greeter").Select(p => p.Id));
        Assert.Throws<PluginNotFoundException>(() => manager.GetPlugin("nobody"));
        Assert.Throws<InvalidOperationException>(() => manager.Register(manager.GetPlugin("test.hello").Descriptor));
    }

    [Fact]
    public async Task Load_all_of_200_plugins_in_a_random_dag_respects_every_edge_and_blocks_exactly_the_dependents_of_failures()
    {
        var random = new Random(20261123);
        var dependencies = new Dictionary<string, string[]>();
        var failing = new HashSet<string> { "p017", "p090" };
        for (var i = 0; i < 200; i++)
        {
            var id = $"p{i:D3}";
            dependencies[id] = Enumerable.Range(0, i).Where(_ => random.Next(25) == 0).Select(j => $"p{j:D3}").ToArray();
            _folders.AddAs(failing.Contains(id) ? "ThrowsOnInitialize" : "Greeter", id, "1.0.0", dependencies[id]);
        }

        _options.MaxParallelLoads = 4;
        using var manager = await ManagerAsync();

        var result = Statuses(await manager.LoadAllAsync(Token));

        var expectedBlocked = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var id = $"p{i:D3}";
            if (dependencies[id].Any(d => failing.Contains(d) || expectedBlocked.Contains(d)))
            {
                expectedBlocked.Add(id);
            }
        }

        Assert.NotEmpty(expectedBlocked);
        foreach (var (id, status) in result)
        {
            var expected = failing.Contains(id) ? PluginStatus.Failed : expectedBlocked.Contains(id) ? PluginStatus.Blocked : PluginStatus.Active;
            Assert.True(expected == status, $"{id}: expected {expected}, was {status}");
            if (status == PluginStatus.Active)
            {
                Assert.All(dependencies[id], d => Assert.True(When(id, PluginStatus.Loading) > When(d, PluginStatus.Active), $"{id} started before {d} was active"));
            }
        }

        await manager.UnloadAllAsync(Token);
        foreach (var id in result.Keys)
        {
            await manager.WaitForCollectionAsync(id, Token);
        }

        Assert.All(manager.GetPlugins().Where(p => result[p.Id] == PluginStatus.Active), p => Assert.Equal(PluginStatus.Unloaded, p.Status));
    }

    [Fact]
    public async Task Plugin_that_queries_the_manager_during_initialize_does_not_deadlock()
    {
        _options.CapabilityGrants["test.callsback"] = [PluginCapabilities.PluginsQuery];
        _folders.Add("Hello");
        _folders.Add("CallsBack");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync("test.callsback", Token);

        Assert.Equal(PluginStatus.Active, result.Status);
        Assert.Equal(["self=Loading hello=Active nobody=none"], _logs.MessagesOf("Acorn.Plugins.test.callsback"));
    }

    [Fact]
    public async Task Query_without_the_grant_fails_initialize_with_the_permission_error()
    {
        _folders.Add("Hello");
        _folders.Add("CallsBack");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAsync("test.callsback", Token);

        Assert.Equal(PluginStatus.Failed, result.Status);
        Assert.StartsWith(
            "initialize threw PluginPermissionException: Plugin 'test.callsback' was not granted the capability 'plugins.query'.",
            result.Reason,
            StringComparison.Ordinal);
        Assert.Equal(PluginStatus.Active, manager.GetPlugin("test.hello").Status);
    }

    [Fact]
    public async Task Two_plugins_use_different_major_versions_of_one_library_side_by_side()
    {
        _folders.Add("VersioningV6");
        _folders.Add("VersioningV7");
        using var manager = await ManagerAsync();

        var result = await manager.LoadAllAsync(Token);

        Assert.All(result, p => Assert.Equal(PluginStatus.Active, p.Status));
        Assert.Equal(["NuGet.Versioning 6 parsed release beta"], _logs.MessagesOf("Acorn.Plugins.test.versioning.v6"));
        Assert.Equal(["NuGet.Versioning 7 parsed release beta"], _logs.MessagesOf("Acorn.Plugins.test.versioning.v7"));
    }

    [Fact]
    public async Task Load_cancelled_by_the_host_ends_failed_not_loading()
    {
        _folders.Add("HangsOnInitialize");
        using var manager = await ManagerAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        manager.StatusChanged += (_, change) =>
        {
            if (change.Current.Status == PluginStatus.Loading)
            {
                cancel.Cancel();
            }
        };
        var failed = manager.WhenStatusAsync("test.hangs", PluginStatus.Failed, Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => manager.LoadAsync("test.hangs", cancel.Token));

        // The caller's wait ends at once; the load, which nobody waits for any more, is cancelled just after.
        var info = await failed;
        Assert.Equal(PluginStatus.Failed, info.Status);
        Assert.Equal("initialize was cancelled by the host", info.Reason);
    }

    [Fact]
    public async Task Hanging_shutdown_times_out_and_the_unload_goes_on()
    {
        _options.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        _options.UnloadGcCycles = 3;
        _options.Configuration["test.hangs"] = System.Text.Json.JsonDocument.Parse("""{"hangIn":"shutdown"}""").RootElement.Clone();
        _folders.Add("HangsOnInitialize");
        using var manager = await ManagerAsync();
        Assert.Equal(PluginStatus.Active, (await manager.LoadAsync("test.hangs", Token)).Status);

        await manager.UnloadAsync("test.hangs", cascade: false, Token);
        var result = await manager.WaitForCollectionAsync("test.hangs", Token);

        Assert.Contains(result.Status, new[] { PluginStatus.Unloaded, PluginStatus.Failed });
        var stopped = Assert.Single(_changes, c => c.Current.Id == "test.hangs" && c.Current.Status == PluginStatus.Stopped);
        Assert.Equal("shutdown did not finish within 0.2 s", stopped.Current.Reason);
    }
}
