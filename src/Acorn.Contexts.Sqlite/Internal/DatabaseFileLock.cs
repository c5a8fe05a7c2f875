using System.Diagnostics;
using System.Globalization;
using System.Text;
using Acorn.Contexts.Internal;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>
/// Keeps a second store, in this process or in another, from writing the same database: an exclusive lock on the file
/// <c>&lt;database&gt;.lock</c> next to it, held from the store's construction to its disposal, with the holder's process id
/// inside so that a refused store can say who has the file.
/// </summary>
/// <remarks>
/// <para>
/// SQLite's own <c>locking_mode=EXCLUSIVE</c> would also shut out the store's pooled readers, hence a file of our own.
/// </para>
/// <para>
/// On Linux <see cref="FileStream.Lock"/> is a POSIX record lock (<c>fcntl(F_SETLK)</c>): the kernel drops it when the
/// holder exits, even by SIGKILL, so a crash never leaves the database locked. Other processes can still open the file
/// and read the id: <see cref="FileShare.ReadWrite"/> takes only a shared <c>flock</c>, which the holder's shared one
/// does not exclude. The locked byte lies past the id, so that Windows, where range locks are mandatory, can read it too.
/// </para>
/// <para>
/// Record locks belong to the process, not to the handle: a second handle in the same process would be granted the lock
/// as well, and closing it would drop the first one's. So a table of the lock files this process holds refuses a second
/// store on the same file before anything is opened. The table knows paths, not files: two paths to one database (a
/// symbolic link) in one process are not told apart.
/// </para>
/// </remarks>
internal sealed class DatabaseFileLock : IDisposable
{
    private const long LockedByte = 4096;
    private const int MaxOwnerBytes = 256;

    private static readonly Lock HeldGate = new();
    private static readonly HashSet<string> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream _file;
    private readonly string _lockPath;
    private int _disposed;

    private DatabaseFileLock(FileStream file, string lockPath)
    {
        _file = file;
        _lockPath = lockPath;
    }

    /// <summary>Takes the lock of the database at <paramref name="databasePath"/> (a full path) and checks that its files can be written.</summary>
    /// <exception cref="ContextStoreException">
    /// Another store holds the database (the message names its process), or the directory or the database files cannot be written.
    /// </exception>
    public static DatabaseFileLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        lock (HeldGate)
        {
            if (!HeldHere.Add(lockPath))
            {
                throw new ContextStoreException(null,
                    $"The context database '{databasePath}' is already open in this process: only one store may write it. Dispose the other store first, or use another file.");
            }
        }

        FileStream? file = null;
        try
        {
            file = DataDirectoryCheck.OpenLockFile(lockPath, databasePath);
            Take(file, databasePath);
            WriteOwner(file);
            DataDirectoryCheck.ThrowIfUnwritable(databasePath);
            return new DatabaseFileLock(file, lockPath);
        }
        catch
        {
            file?.Dispose();
            Forget(lockPath);
            throw;
        }
    }

    /// <summary>Releases the lock (closing the file drops it); the file stays, so no other process ever locks a deleted one.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _file.Dispose();
        Forget(_lockPath);
    }

    private static void Forget(string lockPath)
    {
        lock (HeldGate)
        {
            HeldHere.Remove(lockPath);
        }
    }

    private static void Take(FileStream file, string databasePath)
    {
        if (OperatingSystem.IsMacOS())
        {
            // .NET offers no record locks on macOS, so there only the table of this process guards the file.
            return;
        }

        try
        {
            file.Lock(LockedByte, 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // fcntl reports a lock held elsewhere as EAGAIN or EACCES, which .NET turns into either exception.
            throw new ContextStoreException(null,
                $"The context database '{databasePath}' is in use by {DescribeOwner(file)}: only one store may write it. Stop that process, or give this one another file.",
                ex);
        }
    }

    private static void WriteOwner(FileStream file)
    {
        var owner = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"{Environment.ProcessId} {Path.GetFileName(Environment.ProcessPath)}\n"));
        file.SetLength(0);
        file.Write(owner);
        file.Flush();
    }

    private static string DescribeOwner(FileStream file)
    {
        Span<byte> buffer = stackalloc byte[MaxOwnerBytes];
        file.Position = 0;
        var text = Encoding.UTF8.GetString(buffer[..file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)]);
        var parts = text.Split(' ', 2, StringSplitOptions.TrimEntries);
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsRunning(pid)
            ? $"process {pid} ({LogText.Escape(parts.Length > 1 ? parts[1] : "?")})"
            : "another process";
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
