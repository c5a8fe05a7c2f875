namespace Acorn.Contexts.Testing;

/// <summary>Opens <see cref="ContextManager"/>s over stores and closes every store it opened.</summary>
/// <param name="openStore">Opens the store under test; every call opens the same underlying storage.</param>
/// <param name="time">The clock the managers run on.</param>
public sealed class StoreManagers(Func<ValueTask<IContextStore>> openStore, TimeProvider time) : IAsyncDisposable
{
    private readonly List<IContextStore> _open = [];

    /// <summary>Opens a store (wrapped, if asked) and a loaded manager over it.</summary>
    public async Task<ContextManager> NewAsync(
        ContextOptions? options, Func<IContextStore, IContextStore>? wrap, CancellationToken cancellationToken)
    {
        var store = await openStore();
        _open.Add(store);
        var manager = new ContextManager(wrap?.Invoke(store) ?? store, options, time);
        await manager.InitializeAsync(cancellationToken);
        return manager;
    }

    /// <summary>Closes every open store and opens a fresh manager on the same storage: what a restarted process sees.</summary>
    public async Task<ContextManager> ReopenAsync(ContextOptions? options, CancellationToken cancellationToken)
    {
        await DisposeAsync();
        return await NewAsync(options, wrap: null, cancellationToken);
    }

    /// <summary>
    /// Closes every open store and opens a manager over the same storage, wrapped, without waiting for its load: what a
    /// restarted process serves while it loads.
    /// </summary>
    public async Task<ContextManager> ReopenUnloadedAsync(ContextOptions? options, Func<IContextStore, IContextStore> wrap)
    {
        await DisposeAsync();
        var store = await openStore();
        _open.Add(store);
        return new ContextManager(wrap(store), options, time);
    }

    /// <summary>Closes every store opened so far.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _open)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        _open.Clear();
    }
}
