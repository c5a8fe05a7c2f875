using Microsoft.Data.Sqlite;

namespace Acorn.Contexts.Sqlite.Internal;

/// <summary>Tells a <c>COMMIT</c> that certainly stored nothing from one whose outcome is unknown.</summary>
/// <remarks>
/// In WAL mode a <c>COMMIT</c> appends the batch's pages to the log, the last with a commit mark, then (with
/// <c>synchronous=FULL</c>) syncs it. An error while appending leaves no commit mark, so recovery ignores the pages: the
/// batch was rolled back. An error from the sync (or one SQLite does not classify) comes after the commit mark was
/// written: the pages may reach the disk, and recovery after a crash would then find the batch committed.
/// </remarks>
internal static class SqliteCommitErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int NoMemory = 7;
    private const int ReadOnly = 8;
    private const int Interrupted = 9;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CannotOpen = 14;

    // Extended SQLITE_IOERR codes (sqlite3.h: primary | n << 8) of failures before the commit mark is written. Absent on
    // purpose: SQLITE_IOERR_FSYNC (4) and SQLITE_IOERR_DIR_FSYNC (5), which come after it.
    private static readonly HashSet<int> IoErrorsBeforeCommitMark =
    [
        IoError | (3 << 8), // SQLITE_IOERR_WRITE: appending to the log failed
        IoError | (6 << 8), // SQLITE_IOERR_TRUNCATE
        IoError | (9 << 8), // SQLITE_IOERR_RDLOCK
        IoError | (12 << 8), // SQLITE_IOERR_NOMEM
        IoError | (13 << 8), // SQLITE_IOERR_ACCESS
        IoError | (15 << 8), // SQLITE_IOERR_LOCK
        IoError | (18 << 8), // SQLITE_IOERR_SHMOPEN
        IoError | (19 << 8), // SQLITE_IOERR_SHMSIZE
        IoError | (20 << 8), // SQLITE_IOERR_SHMLOCK
        IoError | (21 << 8), // SQLITE_IOERR_SHMMAP
    ];

    /// <summary>Whether the failed <c>COMMIT</c> certainly stored nothing.</summary>
    public static bool RolledBack(Exception error) => error is SqliteException sqlite && (
        sqlite.SqliteErrorCode is Busy or Locked or NoMemory or ReadOnly or Interrupted or Full or CannotOpen
        || IoErrorsBeforeCommitMark.Contains(sqlite.SqliteExtendedErrorCode));
}
