using Acorn.Contexts.Sqlite;

namespace Acorn.Plugins.Tests;

/// <summary>A SQLite database file in a fresh temporary folder, removed with the folder.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acorn-plugin-state-" + Guid.NewGuid().ToString("N"));

    /// <summary>The database file's path (the folder is created by the store).</summary>
    public string Path => System.IO.Path.Combine(_folder, "acorn.db");

    /// <summary>Opens a new store on the file; each call is a new store, as after a host restart.</summary>
    public SqliteContextStore Open() => new(new SqliteContextStoreOptions { Path = Path });

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
