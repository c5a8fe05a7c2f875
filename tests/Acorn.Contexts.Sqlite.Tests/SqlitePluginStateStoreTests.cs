using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>The plugin state contract over a real SQLite file.</summary>
public sealed class SqlitePluginStateStoreTests : PluginStateStoreContractTests, IAsyncDisposable
{
    private readonly TempDatabase _database = new();
    private SqliteContextStore? _store;

    protected override ValueTask<IPluginStateStore> OpenAsync()
    {
        _store = new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path }, timeProvider: Time);
        return ValueTask.FromResult<IPluginStateStore>(_store);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _database.Dispose();
    }
}
