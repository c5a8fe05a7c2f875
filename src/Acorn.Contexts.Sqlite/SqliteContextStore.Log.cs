using Microsoft.Extensions.Logging;

namespace Acorn.Contexts.Sqlite;

public sealed partial class SqliteContextStore
{
    /// <summary>Log messages of the SQLite store: event ids 1100-1199.</summary>
    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Opened context database {Path} (durability {Durability}).")]
        public static partial void Opened(ILogger logger, string path, Durability durability);

        [LoggerMessage(1101, LogLevel.Error, "A batch of {Count} writes failed to commit; {Outcome}.")]
        public static partial void CommitFailed(ILogger logger, int count, string outcome, Exception exception);
    }
}
