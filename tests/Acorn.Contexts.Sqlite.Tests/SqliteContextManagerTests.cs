using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>The context contract over a real SQLite file with <see cref="Durability.Full"/>; reopening opens the file anew.</summary>
public sealed class SqliteContextManagerTests : ContextStoreContractTests, IDisposable
{
    private readonly TempDatabase _database = new();

    protected override ValueTask<IContextStore> OpenStoreAsync() =>
        ValueTask.FromResult<IContextStore>(new SqliteContextStore(new SqliteContextStoreOptions { Path = _database.Path }));

    public void Dispose() => _database.Dispose();
}
