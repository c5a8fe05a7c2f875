using System.Collections.Concurrent;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

/// <remarks>
/// <para>
/// <b>Loading.</b> The manager first reads the store's summary (how many contexts, the store-wide version and recovery
/// point marks): writes wait for it, since the cap and the versions of new contexts depend on it. It then loads every
/// context page by page in the background while it serves reads and writes. A context it has not loaded yet is
/// <i>resolved</i> on demand: read from the store once and put in memory. From then on the load leaves that id alone,
/// and writes to it go through its turn as usual.
/// </para>
/// <para>
/// Why the load may install the rows it reads without looking at their versions: no write to an id is planned before the
/// id is resolved, and the load installs a row only while no resolution of its id has succeeded or is in flight. An id it
/// installs has therefore not been written since the process started, so any read of its row is its committed state. A
/// resolution in flight is waited for; one that failed changed nothing, so the row the load read is still current.
/// </para>
/// <para>
/// A row the store cannot read (corrupt, or deeper than any limit allows) is quarantined: logged with its id, listed in
/// <see cref="LoadStatus"/>, answered with <see cref="ContextStoreException"/>; every other context is served.
/// </para>
/// <para>
/// Lock order: the load gate is a leaf (no store call, no await and no turn gate inside it); installing a context under
/// it takes the index's own short gate.
/// </para>
/// </remarks>
public sealed partial class ContextManager
{
    // Rows per store read while loading, and per install under the load gate: a read of a context not loaded yet waits for
    // one install at most.
    private const int LoadPageSize = 4096;
    private const int InstallBatch = 256;

    // A Monitor rather than System.Threading.Lock, as the turn's gate: Coyote controls Monitor.
    private readonly object _loadGate = new();
    private readonly ConcurrentDictionary<string, string> _quarantined = new(StringComparer.Ordinal);

    // Load gate: the summary read, and the row load after it (each started again after a failure).
    private Task? _opening;
    private Task? _loading;

    // Load gate: the ids resolved on demand or being resolved, while the load runs (null once it is complete); the load
    // passed its last row.
    private Dictionary<string, Task>? _resolutions = new(StringComparer.Ordinal);
    private bool _rowsDone;

    // The summary is applied (writes may go ahead); every row is in memory or quarantined (reads need no store).
    private volatile bool _open;
    private volatile bool _loaded;

    // The loader's own: where the next page starts, so that a load that failed goes on from there.
    private string? _loadCursor;
    private int _rowsLoaded;
    private int _rowsTotal;
    private int _quarantineCount;
    private string? _loadFailure;

    /// <summary>How far the load has come, and the rows it quarantined.</summary>
    public ContextLoadStatus LoadStatus => new(
        Math.Min(Volatile.Read(ref _rowsLoaded), Volatile.Read(ref _rowsTotal)),
        Volatile.Read(ref _rowsTotal),
        _loaded,
        [.. _quarantined.Select(q => new UnreadableContext(q.Key, q.Value)).OrderBy(q => q.Id, StringComparer.Ordinal)],
        _loaded ? null : Volatile.Read(ref _loadFailure));

    /// <summary>Starts loading the store in the background and returns once the manager serves writes too.</summary>
    /// <remarks>
    /// Reads are served from the start, writes once the store's summary is read (a few milliseconds to a few hundred at
    /// a million contexts), both while the load goes on: a context not loaded yet is read from the store on demand.
    /// Listing and the expiry sweep wait for the whole load. <see cref="LoadStatus"/> says how far it is.
    /// </remarks>
    /// <param name="cancellationToken">Stops waiting (the load goes on).</param>
    /// <returns>A task that completes when writes can be served.</returns>
    /// <exception cref="ContextStoreException">The store's summary could not be read; the next call tries again.</exception>
    public Task OpenAsync(CancellationToken cancellationToken = default) =>
        _open ? Task.CompletedTask : Open().WaitAsync(cancellationToken);

    private ValueTask EnsureOpenAsync(CancellationToken cancellationToken) =>
        _open ? ValueTask.CompletedTask : new ValueTask(Open().WaitAsync(cancellationToken));

    private ValueTask EnsureLoadedAsync(CancellationToken cancellationToken) =>
        _loaded ? ValueTask.CompletedTask : new ValueTask(LoadAllAsync(cancellationToken));

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        await Open().WaitAsync(cancellationToken).ConfigureAwait(false);
        await LoadRows().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until a write to <paramref name="id"/> may be planned: the summary is read and the id resolved.</summary>
    private ValueTask PrepareWriteAsync(string id, CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            ThrowIfQuarantined(id);
            return ValueTask.CompletedTask;
        }

        return PrepareWriteWhileLoadingAsync(id, cancellationToken);
    }

    private async ValueTask PrepareWriteWhileLoadingAsync(string id, CancellationToken cancellationToken)
    {
        await Open().WaitAsync(cancellationToken).ConfigureAwait(false);
        await ResolveAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfQuarantined(id);
    }

    private async ValueTask<ContextState?> FindWhileLoadingAsync(string id, CancellationToken cancellationToken)
    {
        _ = Open();
        if (!_contexts.ContainsKey(id))
        {
            await ResolveAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return FindLoaded(id);
    }

    private async ValueTask<ContextState> GetWhileLoadingAsync(string id, CancellationToken cancellationToken) =>
        await FindWhileLoadingAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ContextNotFoundException(id);

    private void ThrowIfQuarantined(string id)
    {
        if (Volatile.Read(ref _quarantineCount) > 0 && _quarantined.TryGetValue(id, out var reason))
        {
            throw new ContextStoreException(
                id, $"Context '{id}' is quarantined: its stored row could not be read ({reason}). Repair or remove the row, then restart.");
        }
    }

    /// <summary>Reads the summary, once (again after a failure); the row load starts when it is applied.</summary>
    private Task Open() => RunOnce(ref _opening, ReadSummaryAsync);

    /// <summary>The row load, once (again after a failure, from where it stopped).</summary>
    private Task LoadRows() => RunOnce(ref _loading, LoadRowsAsync);

    /// <summary>Starts <paramref name="work"/> unless it runs or ran to completion; returns it.</summary>
    private Task RunOnce(ref Task? running, Func<Task> work)
    {
        lock (_loadGate)
        {
            if (running is null || running.IsFaulted || running.IsCanceled)
            {
                // Task.Run: the store's code must not start running inside this lock.
                running = Task.Run(work, CancellationToken.None);
            }

            return running;
        }
    }

    private async Task ReadSummaryAsync()
    {
        ContextStoreSummary summary;
        try
        {
            summary = await _store.ReadSummaryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException)
        {
            throw new ContextStoreException(null, "The store could not be read.", ex);
        }

        // No write has run yet (they wait for this): the counts are the store's.
        Interlocked.Exchange(ref _reservedCount, summary.ContextCount);
        Interlocked.Exchange(ref _liveCount, summary.ContextCount);
        Interlocked.Exchange(ref _lastRecoveryPointId, summary.LastRecoveryPointId);
        Volatile.Write(ref _rowsTotal, summary.ContextCount);
        RaiseDeletedVersion(summary.HighestDeletedVersion);
        ContextMetrics.ContextCount.Add(summary.ContextCount);
        if (summary.ContextCount > _options.MaxContexts)
        {
            Log.OverCapacityOnLoad(_logger, summary.ContextCount, _options.MaxContexts);
        }

        _open = true;
        _ = LoadRows();
    }

    private async Task LoadRowsAsync()
    {
        try
        {
            // The next page is read while this one is installed: the store's read and the install run side by side.
            var reading = ReadPageAsync(_loadCursor);
            while (true)
            {
                var page = await reading.ConfigureAwait(false);
                if (page.Next is not null)
                {
                    reading = ReadPageAsync(page.Next);
                }

                for (var from = 0; from < page.Contexts.Count; from += InstallBatch)
                {
                    await InstallAsync(page.Contexts, from, Math.Min(page.Contexts.Count, from + InstallBatch)).ConfigureAwait(false);
                }

                foreach (var unreadable in page.Unreadable)
                {
                    await QuarantineAsync(unreadable).ConfigureAwait(false);
                }

                Interlocked.Add(ref _rowsLoaded, page.Contexts.Count + page.Unreadable.Count);
                if (page.Next is null)
                {
                    break;
                }

                _loadCursor = page.Next;
            }
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _loadFailure, ex.Message);
            Log.LoadFailed(_logger, ex);
            throw;
        }

        Task[] pending;
        lock (_loadGate)
        {
            _rowsDone = true;
            pending = [.. _resolutions!.Values.Where(r => !r.IsCompleted)];
        }

        // Resolutions still reading their row finish installing it before reads stop asking for them.
        await SettledAsync(pending).ConfigureAwait(false);
        _loaded = true;
        lock (_loadGate)
        {
            _resolutions = null;
        }

        Log.Loaded(_logger, Count, Volatile.Read(ref _quarantineCount));
    }

    /// <summary>Reads the page after <paramref name="after"/> on the thread pool (a store's reads may well be synchronous).</summary>
    private Task<ContextStorePage> ReadPageAsync(string? after) => Task.Run(async () =>
    {
        try
        {
            return await _store.ReadContextsAsync(after, LoadPageSize, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ContextException)
        {
            throw new ContextStoreException(null, "The store could not be read.", ex);
        }
    });

    /// <summary>Installs rows <paramref name="from"/> to <paramref name="to"/> of a page, except those resolved on demand; waits out resolutions in flight.</summary>
    private async ValueTask InstallAsync(IReadOnlyList<ContextState> rows, int from, int to)
    {
        IEnumerable<ContextState> batch = Enumerable.Range(from, to - from).Select(i => rows[i]);
        while (true)
        {
            List<ContextState>? waiting = null;
            List<Task>? inFlight = null;
            lock (_loadGate)
            {
                var claimed = new List<string>(InstallBatch);
                foreach (var row in batch)
                {
                    switch (ClaimForLoad(row.Id))
                    {
                        case true:
                            _contexts.Set(row, cell: null);
                            _expiries.Move(row.Id, long.MaxValue, row.ExpiresAtTicks);
                            claimed.Add(row.Id);
                            break;
                        case null:
                            (waiting ??= []).Add(row);
                            (inFlight ??= []).Add(_resolutions![row.Id]);
                            break;
                    }
                }

                // Rows come in id order: the index adds them each from where the last one went. Still under the gate, so
                // no write to these ids can start before they are in the index too.
                _ids.AddInOrder(claimed);
            }

            if (waiting is null)
            {
                return;
            }

            await SettledAsync([.. inFlight!]).ConfigureAwait(false);
            batch = waiting;
        }
    }

    private async ValueTask QuarantineAsync(UnreadableContext row)
    {
        while (true)
        {
            Task inFlight;
            lock (_loadGate)
            {
                var claim = ClaimForLoad(row.Id);
                if (claim == false)
                {
                    return;
                }

                if (claim == true)
                {
                    _quarantined[row.Id] = row.Reason;
                    Interlocked.Increment(ref _quarantineCount);
                    Interlocked.Decrement(ref _liveCount);
                    ContextMetrics.ContextCount.Add(-1);
                    Log.Quarantined(_logger, LogText.Escape(row.Id), row.Reason);
                    return;
                }

                inFlight = _resolutions![row.Id];
            }

            await SettledAsync([inFlight]).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Under the load gate: whether the load may install the row it read for <paramref name="id"/>: <see langword="true"/>
    /// when no resolution succeeded or runs (one that failed is replaced, the id being known from now on),
    /// <see langword="false"/> when memory already holds the id's truth, <see langword="null"/> while a resolution runs.
    /// </summary>
    private bool? ClaimForLoad(string id)
    {
        if (_resolutions!.TryGetValue(id, out var resolution))
        {
            if (!resolution.IsCompleted)
            {
                return null;
            }

            if (resolution.IsCompletedSuccessfully)
            {
                return false;
            }

            _resolutions[id] = Task.CompletedTask;
        }

        return !_contexts.ContainsKey(id) && !_quarantined.ContainsKey(id);
    }

    /// <summary>Makes memory hold <paramref name="id"/>'s committed state while the load runs: reads its row once, unless the load has it.</summary>
    private Task ResolveAsync(string id)
    {
        TaskCompletionSource resolving;
        lock (_loadGate)
        {
            if (_resolutions is null)
            {
                return Task.CompletedTask;
            }

            if (_resolutions.TryGetValue(id, out var known) && !known.IsFaulted)
            {
                return known;
            }

            // Past the last row, an id nobody resolved was loaded, quarantined or is not in the store.
            if ((known is null && _rowsDone) || _contexts.ContainsKey(id) || _quarantined.ContainsKey(id))
            {
                _resolutions[id] = Task.CompletedTask;
                return Task.CompletedTask;
            }

            resolving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _resolutions[id] = resolving.Task;
        }

        _ = ReadOnDemandAsync(id, resolving);
        return resolving.Task;
    }

    private async Task ReadOnDemandAsync(string id, TaskCompletionSource resolving)
    {
        ContextState? stored;
        try
        {
            stored = await _store.ReadContextAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The mark stays, faulted: the next caller reads again, and the load installs the row it read itself.
            resolving.SetException(ex is ContextException ? ex : new ContextStoreException(id, $"Context '{id}' could not be read from the store.", ex));
            return;
        }

        if (stored is not null)
        {
            // The id is marked as resolving: neither the load nor a write touches it until this completes.
            Replaced(null, stored);
        }

        resolving.SetResult();
    }

    private static async Task SettledAsync(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only "settled" matters here; their callers see their outcome.
        }
    }
}
