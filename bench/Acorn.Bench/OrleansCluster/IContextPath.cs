using Acorn.Contexts;
using Acorn.Contexts.Sqlite;
using Acorn.Orleans;

namespace Acorn.Bench.OrleansCluster;

/// <summary>The context calls the benchmark makes, on the cluster or on one node: the same work through either.</summary>
internal interface IContextPath : IAsyncDisposable
{
    Task CreateAsync(string id, ContextContent content);

    /// <summary>Replaces the content whatever the version (no expected version).</summary>
    Task UpdateAsync(string id, ContextContent content);

    /// <summary>Read-modify-write: the path's own way of not losing a concurrent update.</summary>
    Task UpdateAsync(string id, Func<ContextState, ContextContent> update);

    /// <summary>Applies a patch to the data whatever the version.</summary>
    Task PatchAsync(string id, ContextPatch patch);

    Task<ContextState> GetAsync(string id);
}

/// <summary>Through the cluster: <see cref="ContextGrainClient"/>, one grain per context, PostgreSQL underneath.</summary>
internal sealed class ClusterContextPath(ContextGrainClient client) : IContextPath
{
    public Task CreateAsync(string id, ContextContent content) => client.CreateAsync(id, content);

    public Task UpdateAsync(string id, ContextContent content) => client.UpdateAsync(id, content);

    public Task UpdateAsync(string id, Func<ContextState, ContextContent> update) => client.UpdateAsync(id, update);

    public Task PatchAsync(string id, ContextPatch patch) => client.PatchAsync(id, patch);

    public Task<ContextState> GetAsync(string id) => client.GetAsync(id);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One node: <see cref="ContextManager"/> over <see cref="SqliteContextStore"/> (<see cref="Durability.Full"/>, the default) in a temp folder.</summary>
internal sealed class SqliteContextPath : IContextPath
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acorn-orleans-bench-").FullName;
    private readonly SqliteContextStore _store;
    private readonly ContextManager _manager;

    public SqliteContextPath()
    {
        _store = new SqliteContextStore(new SqliteContextStoreOptions { Path = Path.Combine(_folder, "bench.db"), Durability = Durability.Full });
        _manager = new ContextManager(_store, new ContextOptions { MaxContexts = 10_000_000 });
    }

    public Task CreateAsync(string id, ContextContent content) => _manager.CreateAsync(id, content).AsTask();

    public Task UpdateAsync(string id, ContextContent content) => _manager.UpdateAsync(id, content).AsTask();

    public Task UpdateAsync(string id, Func<ContextState, ContextContent> update) => _manager.UpdateAsync(id, update).AsTask();

    public Task PatchAsync(string id, ContextPatch patch) => _manager.PatchAsync(id, patch).AsTask();

    public Task<ContextState> GetAsync(string id) => _manager.GetAsync(id).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
