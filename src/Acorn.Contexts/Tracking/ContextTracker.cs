using System.Diagnostics.CodeAnalysis;
using Acorn.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acorn.Contexts;

/// <summary>A local working copy of one context, changed freely and pushed to the manager with <see cref="SyncAsync"/>.</summary>
/// <remarks>
/// <para>
/// Local changes never touch the store; <see cref="SyncAsync"/> writes the working copy with the version it was based
/// on as the expected version, so a change made elsewhere in the meantime is never overwritten silently: the
/// <see cref="ContextTrackerOptions.ConflictPolicy"/> decides (fail, overwrite, or merge).
/// </para>
/// <para>
/// Syncs are serialized; local changes are lock-free (a compare-and-swap of an immutable working copy) and may happen
/// during a sync; they stay pending for the next one. With a <see cref="ContextTrackerOptions.SyncInterval"/>, a
/// background loop syncs pending changes until the tracker is disposed.
/// </para>
/// </remarks>
public sealed partial class ContextTracker : IAsyncDisposable
{
    private readonly IContextManager _manager;
    private readonly ContextTrackerOptions _options;
    private readonly ILogger _logger;
    private readonly AsyncMutex<ContextState> _synced;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _periodicSync;
    private WorkingCopy _working;
    private long _syncedRevision;
    private ContextState _base;

    private ContextTracker(IContextManager manager, ContextState current, ContextTrackerOptions options, TimeProvider time, ILogger logger)
    {
        _manager = manager;
        _options = options;
        _logger = logger;
        _base = current;
        _synced = new AsyncMutex<ContextState>(current, name: "context-tracker");
        _working = new WorkingCopy(ContextContent.From(current), 0);
        // The timer starts now, not when the loop first runs, so the first tick is one interval after the tracker started.
        _periodicSync = options.SyncInterval > TimeSpan.Zero
            ? SyncPeriodicallyAsync(new PeriodicTimer(options.SyncInterval, time), _stopping.Token)
            : Task.CompletedTask;
    }

    /// <summary>The tracked context's id.</summary>
    public string ContextId => _base.Id;

    /// <summary>The state the working copy is based on: what the tracker last read or wrote.</summary>
    public ContextState Base => Volatile.Read(ref _base);

    /// <summary>The local working copy.</summary>
    public ContextContent Working => Volatile.Read(ref _working).Content;

    /// <summary>Whether the working copy has changes that are not synced yet.</summary>
    public bool IsSyncNeeded => Volatile.Read(ref _working).Revision != Interlocked.Read(ref _syncedRevision);

    /// <summary>The error of the last background sync, or <see langword="null"/> when it succeeded.</summary>
    public Exception? LastSyncError { get; private set; }

    /// <summary>Starts tracking a context: reads its current state as the working copy.</summary>
    /// <param name="manager">The context manager.</param>
    /// <param name="contextId">The context to track.</param>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock for the periodic sync; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Logs background sync failures; <see langword="null"/> logs nothing.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tracker.</returns>
    /// <exception cref="ContextNotFoundException">The context does not exist.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (for example: merge policy without a merge function).</exception>
    public static async Task<ContextTracker> StartAsync(
        IContextManager manager,
        string contextId,
        ContextTrackerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<ContextTracker>? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        options ??= new ContextTrackerOptions();
        options.Validate();
        var current = await manager.GetAsync(contextId, cancellationToken).ConfigureAwait(false);
        return new ContextTracker(manager, current, options, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>Changes the working copy locally. Lock-free: <paramref name="change"/> may run again if another local change raced it.</summary>
    /// <param name="change">Computes the new working copy from the current one; must not have side effects.</param>
    public void Update(Func<ContextContent, ContextContent> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            var current = Volatile.Read(ref _working);
            var next = new WorkingCopy(change(current.Content) ?? throw new InvalidOperationException("The change function returned null."), current.Revision + 1);
            if (Interlocked.CompareExchange(ref _working, next, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Replaces the working copy locally.</summary>
    /// <param name="content">The new working copy.</param>
    public void Set(ContextContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Update(_ => content);
    }

    /// <summary>Pushes the working copy if it has unsynced changes, resolving a conflict by the configured policy.</summary>
    /// <param name="cancellationToken">Cancels the sync.</param>
    /// <returns>The context's state after the sync.</returns>
    /// <exception cref="ContextVersionConflictException">The context changed elsewhere and the policy is <see cref="ConflictPolicy.Fail"/>.</exception>
    /// <exception cref="ContextNotFoundException">The context was deleted.</exception>
    /// <exception cref="InvalidContextDataException">The working copy breaks a limit.</exception>
    /// <exception cref="ContextStoreException">The store failed; the changes stay pending.</exception>
    public async Task<ContextState> SyncAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var attempt = await PushLockedAsync(cancellationToken).ConfigureAwait(false);
            if (attempt.Written is { } written)
            {
                return written;
            }

            // Merge outside the lock: the merge function is user code.
            var merged = _options.Merge!(attempt.Remote!, attempt.Local!.Content);
            await RebaseLockedAsync(attempt.Remote!, attempt.Local, merged, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the background sync. Pending changes are not pushed: call <see cref="SyncAsync"/> first to keep them.</summary>
    /// <returns>A task that completes when the background sync has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _periodicSync.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stopping.Dispose();
    }

    [SuppressMessage("Concurrency", "ACRN003", Justification = "The tracker's lock exists to keep its syncs in order: it must span the write it protects.")]
    private async Task<PushAttempt> PushLockedAsync(CancellationToken cancellationToken)
    {
        using var guard = await _synced.LockAsync(cancellationToken).ConfigureAwait(false);
        var local = Volatile.Read(ref _working);
        if (local.Revision == Interlocked.Read(ref _syncedRevision))
        {
            return new PushAttempt(guard.Value, null, null);
        }

        try
        {
            var written = await _manager.UpdateAsync(ContextId, local.Content, guard.Value.Version, cancellationToken).ConfigureAwait(false);
            return new PushAttempt(await AcceptLockedAsync(guard, written, local, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (ContextVersionConflictException) when (_options.ConflictPolicy == ConflictPolicy.Overwrite)
        {
            var written = await _manager.UpdateAsync(ContextId, local.Content, expectedVersion: null, cancellationToken).ConfigureAwait(false);
            return new PushAttempt(await AcceptLockedAsync(guard, written, local, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (ContextVersionConflictException) when (_options.ConflictPolicy == ConflictPolicy.Merge)
        {
            return new PushAttempt(null, await _manager.GetAsync(ContextId, cancellationToken).ConfigureAwait(false), local);
        }
    }

    private async Task<ContextState> AcceptLockedAsync(MutexGuard<ContextState> guard, ContextState written, WorkingCopy pushed, CancellationToken cancellationToken)
    {
        guard.Value = written;
        Volatile.Write(ref _base, written);
        Interlocked.Exchange(ref _syncedRevision, pushed.Revision);
        if (_options.CreateRecoveryPointOnSync)
        {
            await _manager.CreateRecoveryPointAsync(ContextId, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    private async Task RebaseLockedAsync(ContextState remote, WorkingCopy mergedFrom, ContextContent merged, CancellationToken cancellationToken)
    {
        using var guard = await _synced.LockAsync(cancellationToken).ConfigureAwait(false);

        // A local change made during the merge wins a fresh merge on the next round rather than being lost.
        if (Interlocked.CompareExchange(ref _working, new WorkingCopy(merged, mergedFrom.Revision + 1), mergedFrom) == mergedFrom)
        {
            guard.Value = remote;
            Volatile.Write(ref _base, remote);
        }
    }

    private async Task SyncPeriodicallyAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        using var owned = timer;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!IsSyncNeeded)
            {
                continue;
            }

            try
            {
                await SyncAsync(stoppingToken).ConfigureAwait(false);
                LastSyncError = null;
            }
            catch (Exception ex) when (ex is ContextException)
            {
                LastSyncError = ex;
                Log.BackgroundSyncFailed(_logger, ContextId, ex);
            }
        }
    }

    private sealed record WorkingCopy(ContextContent Content, long Revision);

    private readonly record struct PushAttempt(ContextState? Written, ContextState? Remote, WorkingCopy? Local);

    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Warning, "Background sync of context '{ContextId}' failed; the changes stay pending.")]
        public static partial void BackgroundSyncFailed(ILogger logger, string contextId, Exception exception);
    }
}
