namespace Acorn.Contexts.Testing;

/// <summary>Opens managers over one store under test, and reopens them to check what was persisted.</summary>
public abstract class ContextTestBase : ContextTestKit, IAsyncLifetime
{
    private StoreManagers? _managers;

    private StoreManagers Managers => _managers ??= new StoreManagers(OpenStoreAsync, Time);

    /// <summary>Opens the store under test; every call opens the same underlying storage.</summary>
    protected abstract ValueTask<IContextStore> OpenStoreAsync();

    protected Task<ContextManager> NewManagerAsync(ContextOptions? options = null, Func<IContextStore, IContextStore>? wrap = null) =>
        Managers.NewAsync(options, wrap, Ct);

    /// <summary>Closes every open store and opens a fresh manager on the same storage: what a restarted process sees.</summary>
    protected Task<ContextManager> ReopenAsync(ContextOptions? options = null) => Managers.ReopenAsync(options, Ct);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_managers is not null)
        {
            await _managers.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
