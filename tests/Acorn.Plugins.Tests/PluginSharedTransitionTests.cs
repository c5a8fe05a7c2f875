using Acorn.Plugins.Discovery;
using Acorn.Plugins.Management;

namespace Acorn.Plugins.Tests;

/// <summary>Callers that join another caller's load or unload: each one's token ends only its own wait.</summary>
public sealed class PluginSharedTransitionTests
{
    private const int Rounds = 20;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_caller_that_gives_up_on_a_shared_load_does_not_fail_the_caller_still_waiting()
    {
        for (var round = 0; round < Rounds; round++)
        {
            using var folders = new PluginFolders();
            folders.Add("Hello");
            using var manager = await ManagerAsync(folders);
            using var paused = new Pause(manager, PluginStatus.Loading);
            using var first = CancellationTokenSource.CreateLinkedTokenSource(Token);

            // The first caller starts the load (on another thread: before the fix the load ran on the caller's, into the pause).
            var leaving = Task.Run(() => manager.LoadAsync("test.hello", first.Token), Token);
            await paused.Reached.WaitAsync(TimeSpan.FromSeconds(30), Token);
            var staying = manager.LoadAsync("test.hello", Token);
            await first.CancelAsync();
            paused.Release();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
            var result = await staying.WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.True(result.Status == PluginStatus.Active, $"round {round}: the caller still waiting got {result.Status}: {result.Reason}");
            Assert.Equal(PluginStatus.Active, manager.GetPlugin("test.hello").Status);
        }
    }

    [Fact]
    public async Task A_caller_that_gives_up_on_a_shared_unload_does_not_fail_the_other_or_leave_the_plugin_stopping()
    {
        for (var round = 0; round < Rounds; round++)
        {
            using var folders = new PluginFolders();
            folders.Add("Hello");
            using var manager = await ManagerAsync(folders);
            Assert.Equal(PluginStatus.Active, (await manager.LoadAsync("test.hello", Token)).Status);
            using var paused = new Pause(manager, PluginStatus.Stopping);
            using var first = CancellationTokenSource.CreateLinkedTokenSource(Token);

            var leaving = Task.Run(() => manager.UnloadAsync("test.hello", cascade: false, first.Token), Token);
            await paused.Reached.WaitAsync(TimeSpan.FromSeconds(30), Token);
            var staying = manager.UnloadAsync("test.hello", cascade: false, Token);
            await first.CancelAsync();
            paused.Release();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
            var result = await staying.WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.True(result.Status == PluginStatus.Stopped, $"round {round}: the caller still waiting got {result.Status}: {result.Reason}");
            Assert.Equal(PluginStatus.Unloaded, (await manager.WaitForCollectionAsync("test.hello", Token)).Status);
        }
    }

    private static async Task<PluginManager> ManagerAsync(PluginFolders folders)
    {
        var options = new PluginManagerOptions { UnloadGcCycles = 20 };
        options.CapabilityGrants[PluginManagerOptions.AllPlugins] = [PluginCapabilities.ContextsRead];
        var manager = new PluginManager(options, new TestLoggerFactory());
        foreach (var plugin in (await PluginDiscovery.DiscoverAsync([folders.Root], Token)).Plugins)
        {
            manager.Register(plugin);
        }

        return manager;
    }

    /// <summary>Holds the transition that reaches a status, in the manager's status event, until released.</summary>
    private sealed class Pause : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Pause(PluginManager manager, PluginStatus status)
        {
            manager.StatusChanged += (_, change) =>
            {
                if (change.Current.Status == status && _reached.TrySetResult())
                {
                    _release.Wait(TimeSpan.FromSeconds(30));
                }
            };
        }

        public Task Reached => _reached.Task;

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }
}
