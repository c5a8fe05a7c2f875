namespace Acorn.Server;

/// <summary>The server's folders, made absolute (relative paths are taken from the working directory) and created at start.</summary>
internal sealed class ServerPaths
{
    public ServerPaths(AcornServerOptions options)
    {
        Data = Directory.CreateDirectory(Path.GetFullPath(options.DataPath)).FullName;
        Plugins = Directory.CreateDirectory(Path.GetFullPath(options.PluginsPath)).FullName;
    }

    /// <summary>The data folder: the SQLite database and the API key files.</summary>
    public string Data { get; }

    /// <summary>The plugins root.</summary>
    public string Plugins { get; }

    /// <summary>The SQLite database file.</summary>
    public string Database => Path.Combine(Data, "acorn.db");
}
