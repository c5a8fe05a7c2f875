using Microsoft.Extensions.Logging;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>Log messages of the context manager: event ids 1000-1099.</summary>
    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Loaded {Count} contexts from the store ({Quarantined} rows quarantined).")]
        public static partial void Loaded(ILogger logger, int count, int quarantined);

        [LoggerMessage(1001, LogLevel.Warning, "The store holds {Count} contexts, more than MaxContexts ({Max}); creates are refused until some are deleted.")]
        public static partial void OverCapacityOnLoad(ILogger logger, int count, int max);

        [LoggerMessage(1002, LogLevel.Error, "Context '{ContextId}' is quarantined: its stored row could not be read ({Reason}). Every other context is served; repair or remove the row, then restart.")]
        public static partial void Quarantined(ILogger logger, string contextId, string reason);

        [LoggerMessage(1003, LogLevel.Error, "Loading the contexts stopped; reads and writes are served from the store meanwhile, and the next list or sweep tries again from where it stopped.")]
        public static partial void LoadFailed(ILogger logger, Exception exception);

        [LoggerMessage(1010, LogLevel.Information, "Removed {Count} expired contexts.")]
        public static partial void ExpiredRemoved(ILogger logger, int count);

        [LoggerMessage(1012, LogLevel.Warning, "Expired context '{ContextId}' could not be removed; the next sweep tries again.")]
        public static partial void ExpiryFailed(ILogger logger, string contextId, Exception exception);

        [LoggerMessage(1020, LogLevel.Error, "The store failed to write context '{ContextId}'.")]
        public static partial void StoreWriteFailed(ILogger logger, string contextId, Exception exception);

        [LoggerMessage(1030, LogLevel.Warning, "An update function of context '{ContextId}' took {ElapsedMilliseconds:F1} ms: every write to that context waited for it.")]
        public static partial void SlowUpdateFunction(ILogger logger, string contextId, double elapsedMilliseconds);

        [LoggerMessage(1031, LogLevel.Critical, "The turn of context '{ContextId}' failed; its waiting writes were failed.")]
        public static partial void CombinerFailed(ILogger logger, string contextId, Exception exception);
    }
}
