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
