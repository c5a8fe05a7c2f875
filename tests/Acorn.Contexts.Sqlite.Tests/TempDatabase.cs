using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Tests;

/// <summary>A database path in a fresh temporary folder, deleted with the folder.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("acorn-sqlite-").FullName;
        Path = System.IO.Path.Combine(Folder, "acorn.db");
    }

    public string Folder { get; }

    public string Path { get; }

    /// <summary>Runs SQL on the file directly, as another program would (to corrupt a row, or make an old schema).</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing holds the file: leaving a temp folder behind is harmless.
        }
    }
}
