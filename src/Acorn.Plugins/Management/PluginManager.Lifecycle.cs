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

    /// <summary>Starts a load or unload, or joins the one already running for this plugin, so that two callers never race one plugin.</summary>
    /// <param name="entry">The plugin.</param>
    /// <param name="kind">Load or unload.</param>
    /// <param name="cancellationToken">Ends this caller's wait; the transition goes on while another caller still waits for it.</param>
    /// <param name="beginning">Runs under the manager's lock just before this call starts its own transition, and may refuse it by throwing.</param>
    private async Task<PluginInfo> RunTransitionAsync(
        PluginEntry entry, TransitionKind kind, CancellationToken cancellationToken, Action? beginning = null)
    {
        var isLoad = kind == TransitionKind.Load;
        while (true)
        {
            PluginTransition? running;
            PluginTransition? joined = null;
            var started = false;
            lock (_gate)
            {
                running = entry.Transition;
                var done = isLoad ? entry.Status == PluginStatus.Active : entry.Status != PluginStatus.Active;
                if (running is null && done)
                {
                    return entry.Snapshot();
                }

                if (running is null)
                {
                    beginning?.Invoke();
                    joined = new PluginTransition(isLoad);
                    entry.Transition = joined;
                    started = true;
                }
                else if (running.IsLoad == isLoad && running.TryJoin())
                {
                    joined = running;
                }
            }

            if (joined is null)
            {
                // The opposite operation is running (an unload while we want a load), or one whose callers all gave up: let it end, then decide again.
                await running!.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (started)
            {
                // On the pool, so that the caller's wait starts at once and its token can end it whatever the plugin's code does.
                _ = Task.Run(() => RunWorkAsync(entry, joined), CancellationToken.None);
            }

            return await joined.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one transition to its end and hands its outcome to every caller waiting for it.</summary>
    /// <remarks>
    /// A load stops when every caller has given up (its token is the transition's). An unload, once begun, always
    /// finishes: its plugin code is bounded by the shutdown timeout, and stopping half-way would leave the plugin
    /// neither running nor unloaded.
    /// </remarks>
    private async Task RunWorkAsync(PluginEntry entry, PluginTransition transition)
    {
        try
        {
            var result = transition.IsLoad
                ? await LoadCoreAsync(entry, transition.Token).ConfigureAwait(false)
                : await UnloadCoreAsync(entry).ConfigureAwait(false);
            EndTransition(entry);
            transition.Complete(result);
        }
#pragma warning disable CA1031 // Every failure, cancellation included, is the outcome its callers receive.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndTransition(entry);
            transition.Fail(ex);
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
                && (dependency.Status != PluginStatus.Active || dependency.Transition is { IsLoad: false }));
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

    private async Task<PluginInfo> UnloadCoreAsync(PluginEntry entry)
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
        var problem = await StopAsync(entry, loaded, CancellationToken.None).ConfigureAwait(false);
        if (problem is not null)
        {
            Log.ShutdownProblem(_logger, entry.Descriptor.Id, problem);
        }

        var collection = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            entry.Loaded = null;
            entry.Collection = collection.Task;
        }

        var tracker = loaded.Unload();
        var stopped = SetStatus(entry, PluginStatus.Stopped, problem);
        _ = RecordCollectionAsync(entry, collection, tracker, problem);
        return stopped;
    }

    /// <summary>Waits, off the unload's path, for the verifier's verdict on an unloaded context, and records it.</summary>
    /// <remarks>
    /// The verdict becomes the plugin's status (Unloaded, or Failed with the leak) only while the plugin is still the
    /// Stopped one this unload left: a plugin loaded again meanwhile keeps its new status, and a leak is still kept in
    /// <see cref="PluginInfo.Leak"/>.
    /// </remarks>
    private async Task RecordCollectionAsync(PluginEntry entry, TaskCompletionSource collection, PluginUnloadTracker tracker, string? problem)
    {
        try
        {
            bool collected;
            try
            {
                collected = await _verifier.VerifyAsync(tracker, _options.UnloadGcCycles).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The manager was disposed: nobody is left to tell.
                return;
            }

            bool stillThisUnload(PluginEntry e) => e.Collection == collection.Task && e.Status == PluginStatus.Stopped;
            if (collected)
            {
                TrySetStatus(entry, stillThisUnload, PluginStatus.Unloaded, problem);
                return;
            }

            var reason = LeakReason(tracker, _options.UnloadGcCycles);
            Log.Leaked(_logger, entry.Descriptor.Id, reason);
            PluginMetrics.Leaks.Add(1, new KeyValuePair<string, object?>("plugin", entry.Descriptor.Id));
            lock (_gate)
            {
                entry.Leak = reason;
            }

            TrySetStatus(entry, stillThisUnload, PluginStatus.Failed, reason);
        }
        finally
        {
            collection.SetResult();
        }
    }

    /// <summary>Why a context was not collected: the host's TypeDescriptor when it holds the plugin's types, else the usual suspects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string LeakReason(PluginUnloadTracker tracker, int cycles)
    {
        var held = tracker.LiveContext is { } context ? TypeDescriptorLeakProbe.HeldTypes(context) : [];
        var prefix = $"its load context was not collected after {cycles} garbage collections: ";
        return held.Count > 0
            ? prefix + $"the host's TypeDescriptor (System.ComponentModel) still caches its types {string.Join(", ", held)}, which .NET 10 never "
                + "releases (dotnet/runtime#30656, fixed in .NET 11); code the host loaded described them (framework code such as DataAnnotations' "
                + "Validator, or a library the plugin did not ship), and only a restart frees that code"
            : prefix + "something still references the plugin's code "
                + "(most often a handler left in a host or static event, a static field holding a plugin object, or a thread or timer the plugin started)";
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
