namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>
/// Turns a data directory or database file the store cannot write into an error that says so and why, before SQLite
/// opens it: SQLite would open an unwritable file read-only and fail only at the first write, and its own message
/// ("unable to open database file") does not say that the write-ahead log needs to create files next to the database.
/// </summary>
internal static class DataDirectoryCheck
{
    /// <summary>Creates the directory if needed and opens (creating if needed) the lock file in it.</summary>
    /// <exception cref="ContextStoreException">The directory cannot be created or cannot take new files.</exception>
    public static FileStream OpenLockFile(string lockPath, string databasePath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(databasePath, ex);
        }
    }

    /// <summary>Checks that the directory takes new files and that the database files already there can be written.</summary>
    /// <exception cref="ContextStoreException">The directory or one of the files cannot be written.</exception>
    public static void ThrowIfUnwritable(string databasePath)
    {
        try
        {
            // The lock file may be left from an earlier run, so it proves nothing about creating the -wal and -shm files.
            using var probe = new FileStream(
                databasePath + ".probe", FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(databasePath, ex);
        }

        // Opened and closed before this store's SQLite connections exist; the caller holds the lock, so no other store
        // (whose SQLite locks closing a handle of this process would drop) has the file open.
        foreach (var file in (ReadOnlySpan<string>)[databasePath, databasePath + "-wal", databasePath + "-shm"])
        {
            try
            {
                if (File.Exists(file))
                {
                    using var opened = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 1);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ContextStoreException(null,
                    $"The context database file '{file}' cannot be written ({Reason(ex)}): check its owner, permissions and attributes (read-only, immutable).",
                    ex);
            }
        }
    }

    private static ContextStoreException Unusable(string databasePath, Exception ex)
    {
        var name = Path.GetFileName(databasePath);
        return new ContextStoreException(null,
            $"The data directory '{Path.GetDirectoryName(databasePath)}' cannot be used for the context database ({Reason(ex)}). "
            + $"The store needs a directory it can create files in: SQLite's write-ahead log keeps '{name}-wal' and '{name}-shm' next to '{name}', "
            + $"and Acorn its lock file '{name}.lock'. Check the directory's owner, permissions and attributes (read-only, immutable), or choose another.",
            ex);
    }

    // For EACCES and EPERM .NET says only "Access to the path is denied"; the system's own words are in the inner exception.
    private static string Reason(Exception ex) =>
        ex is UnauthorizedAccessException { InnerException: { } inner } ? $"{ex.Message} {inner.Message}" : ex.Message;
}
