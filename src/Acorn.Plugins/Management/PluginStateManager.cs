using Acorn.Contexts;

namespace Acorn.Plugins.Management;

/// <summary>Keeps each plugin's state in an <see cref="IPluginStateStore"/> for the <see cref="PluginManager"/>: reads it before a load, saves exports and deletes in order.</summary>
/// <remarks>
/// <para>
/// Saves and deletes of one plugin run one after another, in the order they were asked for (export, then store), so
/// that an older export can never be stored after a newer one or after a delete, and a plugin never runs two exports at once. Waiting for the
/// previous save is not a lock around plugin code: every export has a timeout, after which the next save goes on.
/// </para>
/// <para>
/// Store failures of reads and saves become a <see cref="PluginStateResult.Problem"/>, never an exception, so that saving
/// many plugins reports each one's outcome and one failure does not stop the rest. A delete is one plugin's explicit
/// request, so its store failure is thrown to the caller.
/// </para>
/// </remarks>
internal sealed class PluginStateManager(IPluginStateStore store)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _lastSave = new(StringComparer.Ordinal);

    /// <summary>The store, for the plugins' own <see cref="IPluginContext.State"/>.</summary>
    public IPluginStateStore Store => store;

    /// <summary>Reads what is stored for a plugin.</summary>
    public async Task<PluginStateResult> ReadAsync(string pluginId, CancellationToken cancellationToken)
    {
        try
        {
            return new PluginStateResult(pluginId, await store.GetAsync(pluginId, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ContextStoreException ex)
        {
            return new PluginStateResult(pluginId, null, $"its saved state could not be read: {ex.Message}");
        }
    }

    /// <summary>Once every earlier save of this plugin is done, runs <paramref name="export"/> and stores what it returns.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="export">Runs the plugin's export (with its timeout); returns the bytes, or why there are none.</param>
    /// <param name="cancellationToken">Cancels the wait, the export and the save until the store accepted it.</param>
    public Task<PluginStateResult> SaveAsync(
        string pluginId, Func<CancellationToken, Task<(ReadOnlyMemory<byte> State, string? Problem)>> export, CancellationToken cancellationToken) =>
        InTurnAsync(pluginId, async token =>
        {
            try
            {
                var (state, problem) = await export(token).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new PluginStateResult(pluginId, null, problem);
                }

                return new PluginStateResult(pluginId, await store.SaveAsync(pluginId, state, token).ConfigureAwait(false), null);
            }
            catch (ContextStoreException ex)
            {
                return new PluginStateResult(pluginId, null, $"its state could not be saved: {ex.Message}");
            }
        }, cancellationToken);

    /// <summary>Once every earlier save of this plugin is done, deletes what is stored for it.</summary>
    /// <param name="pluginId">The plugin.</param>
    /// <param name="cancellationToken">Cancels the wait, and the delete until the store accepted it.</param>
    /// <returns>Whether there was state to delete.</returns>
    /// <exception cref="ContextStoreException">The store failed; nothing was deleted.</exception>
    public Task<bool> DeleteAsync(string pluginId, CancellationToken cancellationToken) =>
        InTurnAsync(pluginId, token => store.DeleteAsync(pluginId, token), cancellationToken);

    /// <summary>Runs <paramref name="operation"/> after every earlier save or delete of this plugin has finished, in the order asked for.</summary>
    private async Task<T> InTurnAsync<T>(string pluginId, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _lastSave.GetValueOrDefault(pluginId) ?? Task.CompletedTask;
            _lastSave[pluginId] = mine.Task;
        }

        try
        {
            // Never faults: every operation completes its task in the finally below, whatever happened.
            await previous.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // An operation cancelled while waiting still keeps its place: the next one waits for the one before it.
            if (previous.IsCompleted)
            {
                Finish(pluginId, mine);
            }
            else
            {
                _ = previous.ContinueWith(_ => Finish(pluginId, mine), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    private void Finish(string pluginId, TaskCompletionSource mine)
    {
        mine.SetResult();
        lock (_gate)
        {
            // Forget the chain once it is idle, so that the table does not grow with every plugin ever saved.
            if (_lastSave.TryGetValue(pluginId, out var last) && last == mine.Task)
            {
                _lastSave.Remove(pluginId);
            }
        }
    }
}
