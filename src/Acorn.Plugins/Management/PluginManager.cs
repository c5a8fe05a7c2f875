using Acorn.Contexts;
using Acorn.Plugins.Dependencies;
using Acorn.Plugins.Internal;
using Acorn.Plugins.Loading;
using Microsoft.Extensions.Logging;
using Semver;

namespace Acorn.Plugins.Management;

/// <summary>Loads, runs and unloads registered plugins in dependency order, each in its own collectible context.</summary>
/// <remarks>
/// <para>
/// A plugin's outcome is a status, not an exception: a plugin whose load or initialize throws or times out is
/// <see cref="PluginStatus.Failed"/> with the reason, and the plugins that need it are <see cref="PluginStatus.Blocked"/>;
/// independent plugins are unaffected. Exceptions are for the caller's mistakes (unknown id, unloading a plugin
/// that others need) and for the caller's own cancellation.
/// </para>
/// <para>
/// No plugin code runs while the manager's gate is held: the gate only guards the status table for a few
/// instructions, so a plugin may call back into the manager from its initialize. Concurrent loads or unloads of one
/// plugin share one transition, and each caller's token ends only its own wait. Load-all starts each plugin as soon as
/// its dependencies are active, at most <see cref="PluginManagerOptions.MaxParallelLoads"/> initializing at once.
/// </para>
/// <para>
/// <b>Unload.</b> An unload returns once the plugin is shut down and its context released, with the status
/// <see cref="PluginStatus.Stopped"/>. Checking that the runtime really collected the context takes full blocking garbage
/// collections, so it runs afterwards, in the background, shared by every pending check: the plugin then becomes
/// <see cref="PluginStatus.Unloaded"/>, or <see cref="PluginStatus.Failed"/> with the leak as its reason.
/// <see cref="WaitForCollectionAsync"/> waits for that verdict. The plugin may be loaded again meanwhile, into a fresh
/// context; a leak found later is still reported, in <see cref="PluginInfo.Leak"/>.
/// </para>
/// <para>
/// <b>State.</b> Each plugin's state lives in an <see cref="IPluginStateStore"/> (the SQLite file when the host uses one):
/// an <see cref="IStatefulPlugin"/> imports what is saved before it initializes, and its export is saved before it
/// shuts down, on <see cref="SaveStateAsync"/>, and on <see cref="SaveAllStatesAsync"/>. A plugin whose saved state
/// cannot be read does not start, rather than start empty and later overwrite what it had. <see cref="DeleteStateAsync"/>
/// forgets the state of a plugin that is not active.
/// </para>
/// </remarks>
public sealed partial class PluginManager : IDisposable
{
    private readonly Lock _gate = new();
    private DependencyResolution? _resolution;
    private long _registrations;
    private readonly Dictionary<string, PluginEntry> _entries = new(StringComparer.Ordinal);
    private readonly PluginManagerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _loadSlots;
    private readonly SemVersion _hostApi;
    private readonly IContextManager? _contexts;
    private readonly PluginStateManager _state;
    private readonly CancellationTokenSource _disposed = new();
    private readonly UnloadVerifier _verifier;
    private long _sequence;

    /// <summary>Initializes the manager.</summary>
    /// <param name="options">Timeouts, parallelism, grants and configuration.</param>
    /// <param name="loggerFactory">Creates the manager's logger and one per plugin.</param>
    /// <param name="contexts">The contexts plugins may use (as their grants allow); <see langword="null"/> for none.</param>
    /// <param name="stateStore">
    /// Where plugins' state is kept between loads; <see langword="null"/> keeps it in memory, so that it survives unloads
    /// and reloads but not the process.
    /// </param>
    /// <exception cref="ArgumentException">An option is out of range or the host API version is not SemVer.</exception>
    public PluginManager(PluginManagerOptions options, ILoggerFactory loggerFactory, IContextManager? contexts = null, IPluginStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.InitializeTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ShutdownTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelLoads, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.UnloadGcCycles, 1, nameof(options));
        if (!SemVersion.TryParse(options.HostApiVersion, SemVersionStyles.Strict, out var hostApi))
        {
            throw new ArgumentException($"HostApiVersion '{options.HostApiVersion}' is not a SemVer 2.0 version.", nameof(options));
        }

        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<PluginManager>();
        _loadSlots = new SemaphoreSlim(options.MaxParallelLoads, options.MaxParallelLoads);
        _hostApi = hostApi;
        _contexts = contexts;
        _state = new PluginStateManager(stateStore ?? new InMemoryPluginStateStore());
        _verifier = new UnloadVerifier(_disposed.Token);
    }

    /// <summary>Raised after every status change, outside the manager's gate; <see cref="PluginStatusChangedEventArgs.Sequence"/> orders them.</summary>
    public event EventHandler<PluginStatusChangedEventArgs>? StatusChanged;

    /// <summary>Registers a plugin as <see cref="PluginStatus.Discovered"/>.</summary>
    /// <param name="descriptor">A discovered plugin.</param>
    /// <exception cref="InvalidOperationException">A plugin with the same id is already registered.</exception>
    public void Register(PluginDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (_gate)
        {
            if (!_entries.TryAdd(descriptor.Id, new PluginEntry(descriptor)))
            {
                throw new InvalidOperationException($"A plugin with id '{descriptor.Id}' is already registered (from '{_entries[descriptor.Id].Descriptor.Directory}').");
            }

            _registrations++;
            _resolution = null;
        }

        PluginMetrics.StatusChanged(null, PluginStatus.Discovered);
    }

    /// <summary>The dependency graph of the registered plugins, resolved once per set of registrations rather than once per load.</summary>
    private DependencyResolution Resolution()
    {
        long registrations;
        List<PluginDescriptor> descriptors;
        lock (_gate)
        {
            if (_resolution is { } cached)
            {
                return cached;
            }

            registrations = _registrations;
            descriptors = [.. _entries.Values.Select(e => e.Descriptor)];
        }

        // Resolved outside the gate (it is the whole graph); kept only if no plugin was registered meanwhile.
        var resolution = PluginDependencyGraph.Resolve(descriptors, _hostApi);
        lock (_gate)
        {
            if (_registrations == registrations)
            {
                _resolution = resolution;
            }
        }

        return resolution;
    }

    /// <summary>The plugin with this id.</summary>
    /// <param name="pluginId">The id.</param>
    /// <returns>A snapshot of its status.</returns>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    public PluginInfo GetPlugin(string pluginId)
    {
        lock (_gate)
        {
            return Find(pluginId).Snapshot();
        }
    }

    /// <summary>Every registered plugin, ordered by id.</summary>
    /// <returns>Snapshots of their status.</returns>
    public IReadOnlyList<PluginInfo> GetPlugins()
    {
        lock (_gate)
        {
            return _entries.Values.Select(e => e.Snapshot()).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The plugins whose manifest has this display name (names need not be unique), ordered by id.</summary>
    /// <param name="name">The display name (ordinal comparison).</param>
    /// <returns>Snapshots of their status.</returns>
    public IReadOnlyList<PluginInfo> GetPluginsByName(string name) =>
        GetPlugins().Where(p => string.Equals(p.Descriptor.Manifest.Name, name, StringComparison.Ordinal)).ToList();

    /// <summary>The plugins that asked for a capability and were granted it, ordered by id.</summary>
    /// <param name="capability">A name from <see cref="PluginCapabilities"/>.</param>
    /// <returns>Snapshots of their status.</returns>
    public IReadOnlyList<PluginInfo> GetPluginsWithCapability(string capability) =>
        GetPlugins().Where(p => GrantsFor(p.Descriptor).Contains(capability)).ToList();

    /// <summary>Loads a plugin after loading its dependencies.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">
    /// Ends this caller's wait. The load itself goes on while another caller still waits for it; once every caller has
    /// given up it is cancelled, and the plugin ends <see cref="PluginStatus.Failed"/>, never stuck in Loading.
    /// </param>
    /// <returns>The plugin's status afterwards: Active, Failed or Blocked.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    public Task<PluginInfo> LoadAsync(string pluginId, CancellationToken cancellationToken)
    {
        PluginEntry entry;
        lock (_gate)
        {
            entry = Find(pluginId);
        }

        return LoadEntryAsync(entry, cancellationToken);
    }

    /// <summary>Loads every registered plugin, each as soon as its dependencies are active.</summary>
    /// <param name="cancellationToken">Cancels the loads still running.</param>
    /// <returns>Every plugin's status afterwards, ordered by id.</returns>
    public async Task<IReadOnlyList<PluginInfo>> LoadAllAsync(CancellationToken cancellationToken)
    {
        List<PluginEntry> entries;
        lock (_gate)
        {
            entries = [.. _entries.Values];
        }

        var results = await Task.WhenAll(entries.Select(e => LoadEntryAsync(e, cancellationToken))).ConfigureAwait(false);
        return results.OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Shuts a plugin down (saving its state first) and unloads its context; dependents first when <paramref name="cascade"/> is set.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cascade">Whether to unload the active plugins that depend on it first.</param>
    /// <param name="cancellationToken">Ends this caller's wait; an unload once begun always finishes (its plugin code is bounded by the shutdown timeout).</param>
    /// <returns>
    /// The plugin's status afterwards: <see cref="PluginStatus.Stopped"/> while the background check that its context was
    /// collected runs (<see cref="WaitForCollectionAsync"/> waits for it), or its status if it was not active.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    /// <exception cref="PluginHasDependentsException">Active plugins depend on it and <paramref name="cascade"/> is false.</exception>
    public async Task<PluginInfo> UnloadAsync(string pluginId, bool cascade, CancellationToken cancellationToken)
    {
        PluginEntry entry;
        lock (_gate)
        {
            entry = Find(pluginId);
        }

        while (true)
        {
            List<string> dependents;
            lock (_gate)
            {
                dependents = DependentsLocked(pluginId);
            }

            if (dependents.Count > 0 && !cascade)
            {
                throw new PluginHasDependentsException(pluginId, dependents);
            }

            foreach (var dependent in dependents)
            {
                await UnloadAsync(dependent, cascade: true, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // Checked again as the unload begins, atomically with it: a dependent that started loading since is never left without its dependency.
                return await RunTransitionAsync(entry, TransitionKind.Unload, cancellationToken, () =>
                {
                    if (DependentsLocked(pluginId) is { Count: > 0 } late)
                    {
                        throw new PluginHasDependentsException(pluginId, late);
                    }
                }).ConfigureAwait(false);
            }
            catch (PluginHasDependentsException) when (cascade)
            {
                // A dependent started loading meanwhile: unload it too, then try again.
            }
        }
    }

    /// <summary>The plugins that need <paramref name="pluginId"/> and are active, starting, or on their way to starting.</summary>
    private List<string> DependentsLocked(string pluginId) =>
        _entries.Values
            .Where(e => e.Descriptor.Dependencies.ContainsKey(pluginId)
                && (e.Status is PluginStatus.Active or PluginStatus.Loading || e.Transition is { IsLoad: true }))
            .Select(e => e.Descriptor.Id)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Unloads every active plugin, dependents before their dependencies.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Every plugin's status afterwards, ordered by id; the unloaded ones are Stopped until their collection check ends.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<PluginInfo>> UnloadAllAsync(CancellationToken cancellationToken)
    {
        var order = Resolution().LoadOrder;
        foreach (var plugin in order.Reverse())
        {
            await UnloadAsync(plugin.Id, cascade: true, cancellationToken).ConfigureAwait(false);
        }

        return GetPlugins();
    }

    /// <summary>Unloads a plugin and loads it again into a fresh context, carrying its state over through the state store.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Ends this caller's wait.</param>
    /// <returns>The plugin's status afterwards.</returns>
    /// <remarks>The new context does not wait for the check that the old one was collected; a leak it finds is reported in <see cref="PluginInfo.Leak"/>.</remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    /// <exception cref="PluginHasDependentsException">Active plugins depend on it.</exception>
    public async Task<PluginInfo> ReloadAsync(string pluginId, CancellationToken cancellationToken)
    {
        await UnloadAsync(pluginId, cascade: false, cancellationToken).ConfigureAwait(false);
        return await LoadAsync(pluginId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the check that the plugin's last unloaded context was collected has ended.</summary>
    /// <param name="pluginId">The plugin's id.</param>
    /// <param name="cancellationToken">Stops waiting; the check goes on.</param>
    /// <returns>
    /// The plugin's status then: Unloaded, or Failed with the leak, unless it was loaded again meanwhile. At once when no
    /// check is pending.
    /// </returns>
    /// <exception cref="PluginNotFoundException">No such plugin is registered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PluginInfo> WaitForCollectionAsync(string pluginId, CancellationToken cancellationToken)
    {
        Task? collection;
        lock (_gate)
        {
            collection = Find(pluginId).Collection;
        }

        if (collection is not null)
        {
            await collection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return GetPlugin(pluginId);
    }

    /// <summary>Stops the pending collection checks and releases the load limiter. It does not unload plugins; call <see cref="UnloadAllAsync"/> first.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _disposed.Dispose();
        _loadSlots.Dispose();
    }

    /// <summary>What a plugin's <see cref="IPluginQuery"/> sees: the status table only, so a plugin calling it mid-initialize never waits.</summary>
    private PluginStatus? QueryStatus(string pluginId)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(pluginId, out var entry) ? entry.Status : null;
        }
    }

    private PluginEntry Find(string pluginId)
    {
        ArgumentNullException.ThrowIfNull(pluginId);
        return _entries.TryGetValue(pluginId, out var entry) ? entry : throw new PluginNotFoundException(pluginId);
    }

    private HashSet<string> GrantsFor(PluginDescriptor descriptor)
    {
        var grants = new HashSet<string>(StringComparer.Ordinal);
        if (_options.CapabilityGrants.TryGetValue(PluginManagerOptions.AllPlugins, out var all))
        {
            grants.UnionWith(all);
        }

        if (_options.CapabilityGrants.TryGetValue(descriptor.Id, out var own))
        {
            grants.UnionWith(own);
        }

        grants.IntersectWith(descriptor.Manifest.Capabilities);
        return grants;
    }

    private PluginInfo SetStatus(PluginEntry entry, PluginStatus status, string? reason = null, string? blockedBy = null) =>
        TrySetStatus(entry, static _ => true, status, reason, blockedBy)!;

    /// <summary>Sets the status if <paramref name="when"/> holds, checked under the gate; returns the new snapshot, or null when it did not hold.</summary>
    private PluginInfo? TrySetStatus(PluginEntry entry, Func<PluginEntry, bool> when, PluginStatus status, string? reason = null, string? blockedBy = null)
    {
        PluginStatusChangedEventArgs change;
        lock (_gate)
        {
            if (!when(entry))
            {
                return null;
            }

            var previous = entry.Status;
            entry.Status = status;
            entry.Reason = reason;
            entry.BlockedBy = blockedBy;
            change = new PluginStatusChangedEventArgs(previous, entry.Snapshot(), ++_sequence);
        }

        PluginMetrics.StatusChanged(change.Previous, status);
        switch (status)
        {
            case PluginStatus.Active:
                Log.Activated(_logger, entry.Descriptor.Id, entry.Descriptor.Version.ToString());
                break;
            case PluginStatus.Failed:
                Log.Failed(_logger, entry.Descriptor.Id, reason ?? "");
                break;
            case PluginStatus.Blocked:
                Log.Blocked(_logger, entry.Descriptor.Id, blockedBy ?? "", reason ?? "");
                break;
            case PluginStatus.Unloaded:
                Log.Unloaded(_logger, entry.Descriptor.Id);
                break;
        }

        try
        {
            StatusChanged?.Invoke(this, change);
        }
#pragma warning disable CA1031 // A subscriber's bug must not leave a plugin half-transitioned.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerThrew(_logger, entry.Descriptor.Id, ex);
        }

        return change.Current;
    }
}
