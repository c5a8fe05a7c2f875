using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Acorn.Plugins.Internal;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Acorn.Contexts;
using Acorn.Plugins.Dependencies;
using Acorn.Plugins.Loading;

namespace Acorn.Plugins.Management;

public sealed partial class PluginManager
{
    private enum TransitionKind
    {
        Load,
        Unload,
    }

    private Task<PluginInfo> LoadEntryAsync(PluginEntry entry, CancellationToken cancellationToken) =>
        RunTransitionAsync(entry, TransitionKind.Load, cancellationToken);

    /// <summary>Runs a load or unload, or joins the one already running for this plugin, so that two callers never race one plugin.</summary>
    /// <param name="entry">The plugin.</param>
    /// <param name="kind">Load or unload.</param>
    /// <param name="cancellationToken">Cancels waiting and the transition.</param>
    /// <param name="beginning">Runs under the manager's lock just before this call starts its own transition, and may refuse it by throwing.</param>
    private async Task<PluginInfo> RunTransitionAsync(
        PluginEntry entry, TransitionKind kind, CancellationToken cancellationToken, Action? beginning = null)
    {
        while (true)
        {
            Task<PluginInfo>? running;
            var runningIsSameKind = false;
            TaskCompletionSource<PluginInfo>? mine = null;
            lock (_gate)
            {
                var done = kind == TransitionKind.Load
                    ? entry.Status == PluginStatus.Active
                    : entry.Status != PluginStatus.Active;
                if (entry.Transition is null && done)
                {
                    return entry.Snapshot();
                }

                running = entry.Transition;
                runningIsSameKind = running is not null && entry.TransitionIsLoad == (kind == TransitionKind.Load);
                if (running is null)
                {
                    beginning?.Invoke();
                    mine = new TaskCompletionSource<PluginInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
                    entry.Transition = mine.Task;
                    entry.TransitionIsLoad = kind == TransitionKind.Load;
                }
            }

            if (mine is null)
            {
                var other = await running!.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (runningIsSameKind)
                {
                    // Joining the same operation: its outcome, success or failure, is ours.
                    return other;
                }

                // The opposite operation was running (an unload while we want a load); now run ours.
                continue;
            }

            try
            {
                var result = kind == TransitionKind.Load
                    ? await LoadCoreAsync(entry, cancellationToken).ConfigureAwait(false)
                    : await UnloadCoreAsync(entry, cancellationToken).ConfigureAwait(false);
                EndTransition(entry);
                mine.SetResult(result);
                return result;
            }
            catch (Exception ex)
            {
                EndTransition(entry);
                mine.SetException(ex);
                throw;
            }
        }
    }

    private void EndTransition(PluginEntry entry)
    {
        lock (_gate)
        {
            entry.Transition = null;
        }
    }

    [SuppressMessage(
        "Concurrency",
        "ACRN003",
        Justification = "_loadSlots is a counting limit on concurrent initializes, not a lock over shared state: it must span the initialize it limits. "
            + "Plugin code that calls back into the manager's queries never needs a slot.")]
    private async Task<PluginInfo> LoadCoreAsync(PluginEntry entry, CancellationToken cancellationToken)
    {
        var descriptor = entry.Descriptor;
        var resolution = Resolution();
        if (resolution.ErrorsFor(descriptor.Id) is [var error, ..])
        {
            return error.Kind == DependencyErrorKind.Blocked
                ? SetStatus(entry, PluginStatus.Blocked, error.Message, error.Related[0])
                : SetStatus(entry, PluginStatus.Failed, error.Message);
        }

        // Dependencies load concurrently; each starts its own dependencies first, so load-all never waits level by level.
        var dependencies = descriptor.Dependencies.Keys.Order(StringComparer.Ordinal).Select(id =>
        {
            lock (_gate)
            {
                return _entries[id];
            }
        }).ToList();
        var outcomes = await Task.WhenAll(dependencies.Select(d => LoadEntryAsync(d, cancellationToken))).ConfigureAwait(false);
        if (outcomes.FirstOrDefault(o => o.Status != PluginStatus.Active) is { } blocker)
        {
            var why = blocker.Reason is null ? $"it is {blocker.Status}" : $"it is {blocker.Status}: {blocker.Reason}";
            return SetStatus(entry, PluginStatus.Blocked, $"plugin '{descriptor.Id}' needs '{blocker.Id}', which is not active ({why})", blocker.Id);
        }

        await _loadSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (DependencyLeaving(descriptor) is { } leaving)
            {
                return SetStatus(entry, PluginStatus.Blocked, $"plugin '{descriptor.Id}' needs '{leaving}', which is being unloaded", leaving);
            }

            SetStatus(entry, PluginStatus.Loading);
            return await StartAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (StillLoading(entry))
        {
            // Cancelled before initialize (reading the assembly or the saved state): a plugin never stays Loading.
            SetStatus(entry, PluginStatus.Failed, "load was cancelled by the host");
            throw;
        }
        finally
        {
            _loadSlots.Release();
        }
    }

    /// <summary>A dependency that stopped being active, or began unloading, while this load waited for a slot.</summary>
    private string? DependencyLeaving(PluginDescriptor descriptor)
    {
        lock (_gate)
        {
            return descriptor.Dependencies.Keys.Order(StringComparer.Ordinal).FirstOrDefault(id =>
                _entries[id] is var dependency
                && (dependency.Status != PluginStatus.Active || (dependency.Transition is not null && !dependency.TransitionIsLoad)));
        }
    }

    private bool StillLoading(PluginEntry entry)
    {
        lock (_gate)
        {
            return entry.Status == PluginStatus.Loading;
        }
    }

    private async Task<PluginInfo> StartAsync(PluginEntry entry, CancellationToken cancellationToken)
    {
        var descriptor = entry.Descriptor;
        var (code, distrust) = await CheckTrustAsync(descriptor, cancellationToken).ConfigureAwait(false);
        if (distrust is not null)
        {
            return SetStatus(entry, PluginStatus.Failed, distrust);
        }

        LoadedPlugin loaded;
        try
        {
            loaded = PluginLoader.Load(descriptor, code);
        }
        catch (PluginLoadException ex)
        {
            return SetStatus(entry, PluginStatus.Failed, ex.Message);
        }

        PluginStateRecord? saved = null;
        if (loaded.Instance is IStatefulPlugin)
        {
            // Starting without the saved state would lose it: the next unload would store this instance's fresh state over it.
            PluginStateResult read;
            try
            {
                read = await _state.ReadAsync(descriptor.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                loaded.Unload();
                throw;
            }

            if (read.Problem is not null)
            {
                loaded.Unload();
                return SetStatus(entry, PluginStatus.Failed, read.Problem);
            }

            saved = read.State;
        }

        var context = new PluginContext(
            descriptor.Manifest,
            _loggerFactory.CreateLogger("Acorn.Plugins." + descriptor.Id),
            _options.Configuration.TryGetValue(descriptor.Id, out var section) ? section : default(JsonElement),
            GrantsFor(descriptor),
            QueryStatus,
            _contexts,
            _state.Store);
        var instance = loaded.Instance;
        var started = Stopwatch.GetTimestamp();
        string? failure;
        try
        {
            failure = saved is not null && instance is IStatefulPlugin stateful
                ? await RunPluginCodeAsync("state import", _options.InitializeTimeout, token => stateful.ImportStateAsync(saved.State, token), cancellationToken).ConfigureAwait(false)
                : null;
            failure ??= await RunPluginCodeAsync("initialize", _options.InitializeTimeout, token => instance.InitializeAsync(context, token), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            PluginMetrics.RecordInitialize(descriptor.Id, succeeded: false, started);
            loaded.Unload();
            SetStatus(entry, PluginStatus.Failed, "initialize was cancelled by the host");
            throw;
        }

        PluginMetrics.RecordInitialize(descriptor.Id, succeeded: failure is null, started);
        if (failure is not null)
        {
            // A plugin that timed out may still be running; unloading then completes only when its code stops.
            loaded.Unload();
            return SetStatus(entry, PluginStatus.Failed, failure);
        }

        lock (_gate)
        {
            entry.Loaded = loaded;
        }

        return SetStatus(entry, PluginStatus.Active);
    }

    private async Task<PluginInfo> UnloadCoreAsync(PluginEntry entry, CancellationToken cancellationToken)
    {
        LoadedPlugin? loaded;
        lock (_gate)
        {
            loaded = entry.Loaded;
        }

        if (loaded is null)
        {
            return GetPlugin(entry.Descriptor.Id);
        }

        SetStatus(entry, PluginStatus.Stopping);
        var problem = await StopAsync(entry, loaded, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            Log.ShutdownProblem(_logger, entry.Descriptor.Id, problem);
        }

        lock (_gate)
        {
            entry.Loaded = null;
        }

        var tracker = loaded.Unload();
        SetStatus(entry, PluginStatus.Stopped, problem);
        if (!await tracker.WaitForCollectionAsync(_options.UnloadGcCycles, cancellationToken).ConfigureAwait(false))
        {
            var reason = $"its load context was not collected after {_options.UnloadGcCycles} garbage collections: something still references the plugin's code "
                + "(most often a handler left in a host or static event, a static field holding a plugin object, or a thread or timer the plugin started)";
            Log.Leaked(_logger, entry.Descriptor.Id, reason);
            PluginMetrics.Leaks.Add(1, new KeyValuePair<string, object?>("plugin", entry.Descriptor.Id));
            return SetStatus(entry, PluginStatus.Failed, reason);
        }

        return SetStatus(entry, PluginStatus.Unloaded, problem);
    }

    /// <summary>Saves the plugin's state and shuts it down; separate so that no local of the unload keeps plugin objects alive.</summary>
    /// <remarks>A failed save is reported and the shutdown goes on: the store keeps the state saved before.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<string?> StopAsync(PluginEntry entry, LoadedPlugin loaded, CancellationToken cancellationToken)
    {
        var instance = loaded.Instance;
        string? exportProblem = null;
        if (instance is IStatefulPlugin stateful)
        {
            var saved = await _state.SaveAsync(entry.Descriptor.Id, token => ExportAsync(stateful, token), cancellationToken).ConfigureAwait(false);
            exportProblem = saved.Problem;
        }

        var shutdownProblem = await RunPluginCodeAsync("shutdown", _options.ShutdownTimeout, instance.ShutdownAsync, cancellationToken).ConfigureAwait(false);
        return (exportProblem, shutdownProblem) switch
        {
            (null, null) => null,
            (null, var s) => s,
            (var e, null) => e,
            var (e, s) => $"{e}; {s}",
        };
    }

    /// <summary>Runs plugin code on the thread pool with a timeout; returns why it failed, or null.</summary>
    /// <remarks>
    /// The thread pool keeps a plugin that blocks before its first await from blocking the caller, and the timeout is
    /// enforced by waiting rather than by the plugin honouring its token, because a hung plugin does not.
    /// </remarks>
    private static async Task<string?> RunPluginCodeAsync(
        string what, TimeSpan timeout, Func<CancellationToken, Task> code, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var task = Task.Run(() => code(timeoutSource.Token), CancellationToken.None);
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // Observe the abandoned task's eventual fault so that it is not reported as unobserved.
            _ = task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return $"{what} did not finish within {timeout.TotalSeconds:0.###} s";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            return $"{what} did not finish within {timeout.TotalSeconds:0.###} s (it gave up when its token was cancelled)";
        }
#pragma warning disable CA1031 // Whatever a plugin throws becomes its Failed reason; the host goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"{what} threw {ex.GetType().Name}: {ex.Message}";
        }
    }
}
