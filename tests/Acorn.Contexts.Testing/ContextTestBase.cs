using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Acorn.Contexts.Testing;

/// <summary>Opens managers over one store under test, and reopens them to check what was persisted.</summary>
public abstract class ContextTestBase : IAsyncLifetime
{
    private readonly List<IContextStore> _open = [];

    /// <summary>A fake clock that starts at 2026-01-01 and moves only when a test advances it.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the store under test; every call opens the same underlying storage.</summary>
    protected abstract ValueTask<IContextStore> OpenStoreAsync();

    protected async Task<ContextManager> NewManagerAsync(ContextOptions? options = null, Func<IContextStore, IContextStore>? wrap = null)
    {
        var store = await OpenStoreAsync();
        _open.Add(store);
        var manager = new ContextManager(wrap?.Invoke(store) ?? store, options, Time);
        await manager.InitializeAsync(Ct);
        return manager;
    }

    /// <summary>Closes every open store and opens a fresh manager on the same storage: what a restarted process sees.</summary>
    protected async Task<ContextManager> ReopenAsync(ContextOptions? options = null)
    {
        await CloseAllAsync();
        return await NewManagerAsync(options);
    }

    protected static ContextContent Json(string json, IReadOnlyDictionary<string, string>? metadata = null) =>
        ContextContent.Parse(json, metadata);

    protected static ContextContent Counter(long n) => Json($$"""{"n":{{n}}}""");

    protected static long CounterOf(ContextState state) => state.Data.GetProperty("n").GetInt64();

    protected static long CounterOf(ContextContent content) => content.Data.GetProperty("n").GetInt64();

    protected static ContextContent Increment(ContextState state) => Counter(CounterOf(state) + 1);

    protected static string Text(ContextState state) => JsonSerializer.Serialize(state.Data);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        GC.SuppressFinalize(this);
    }

    private async Task CloseAllAsync()
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
