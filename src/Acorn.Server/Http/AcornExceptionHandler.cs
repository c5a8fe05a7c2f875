using Acorn.Contexts;
using Acorn.Plugins.Management;
using Microsoft.AspNetCore.Diagnostics;

namespace Acorn.Server;

/// <summary>
/// Turns the typed errors of <see cref="ContextManager"/> and <see cref="PluginManager"/> into the status codes of the
/// HTTP contract, so endpoints call the managers and nothing else.
/// </summary>
internal sealed partial class AcornExceptionHandler(ILogger<AcornExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // A client that went away (every load generator does, mid-body, when it stops) caused no server error, and
        // nobody is left to answer.
        if (exception is (OperationCanceledException or BadHttpRequestException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(logger, context.Request.Method, context.Request.Path, exception.Message);
            return true;
        }

        var (status, title, detail, extensions) = Map(exception);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            Log.Failed(logger, context.Request.Method, context.Request.Path, exception);
        }
        else if (exception is BadHttpRequestException)
        {
            // Kestrel's own refusal of a request (a body that ended early, one too large): the client's doing. It may
            // arrive before the connection counts as aborted, so it is never logged as a server error.
            Log.BadRequest(logger, context.Request.Method, context.Request.Path, exception.Message);
        }

        try
        {
            await Problems.Write(context, status, title, detail, extensions).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientAborted(logger, context.Request.Method, context.Request.Path, exception.Message);
        }

        return true;
    }

    private static (int Status, string Title, string Detail, Dictionary<string, object?> Extensions) Map(Exception exception) =>
        exception switch
        {
            InvalidContextIdException e => (400, "Invalid context id", e.Message, new() { ["field"] = "id", ["contextId"] = e.ContextId, ["reason"] = e.Reason }),
            InvalidContextDataException e => (400, "Invalid context data", e.Message, new() { ["field"] = "data", ["contextId"] = e.ContextId, ["reason"] = e.Reason }),
            ContextNotFoundException e => (404, "Context not found", e.Message, new() { ["contextId"] = e.ContextId }),
            RecoveryPointNotFoundException e => (404, "Recovery point not found", e.Message,
                new() { ["contextId"] = e.ContextId, ["recoveryPointId"] = e.RecoveryPointId }),
            ContextAlreadyExistsException e => (409, "Context exists", e.Message, new() { ["contextId"] = e.ContextId }),
            ContextLimitExceededException e => (409, "Context limit reached", e.Message, new() { ["contextId"] = e.ContextId, ["limit"] = e.Limit }),
            ContextPatchFailedException e => (409, "Patch operation failed", e.Message,
                new() { ["contextId"] = e.ContextId, ["operation"] = e.OperationIndex, ["op"] = e.Operation, ["path"] = e.Path, ["reason"] = e.Reason }),
            InvalidContextPatchException e => (400, "Malformed patch", e.Message, new() { ["field"] = "body", ["operation"] = e.OperationIndex, ["reason"] = e.Reason }),
            ContextVersionConflictException e => (412, "Version is stale", e.Message,
                new() { ["contextId"] = e.ContextId, ["expectedVersion"] = e.ExpectedVersion, ["actualVersion"] = e.ActualVersion }),
            ContextWriteOutcomeUnknownException e => (503, "Write outcome unknown", e.Message + " Read the context to see whether the write happened before retrying it.",
                new() { ["contextId"] = e.ContextId, ["outcomeUnknown"] = true }),
            ContextStoreException e => (503, "Storage unavailable", e.Message, new() { ["contextId"] = e.ContextId, ["outcomeUnknown"] = false }),
            PluginNotFoundException e => (404, "Plugin not found", e.Message, new() { ["pluginId"] = e.PluginId }),
            PluginHasDependentsException e => (409, "Plugin has active dependents", e.Message,
                new() { ["pluginId"] = e.PluginId, ["dependents"] = e.Dependents }),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, []),
            _ => (500, "Internal error", "The server failed; the log has the details.", []),
        };

    /// <summary>Log messages of the exception handler: event ids 4010-4019.</summary>
    private static partial class Log
    {
        [LoggerMessage(4010, LogLevel.Error, "{Method} {Path} failed")]
        public static partial void Failed(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(4011, LogLevel.Debug, "{Method} {Path}: the client went away before the response ({Reason}); nothing was sent")]
        public static partial void ClientAborted(ILogger logger, string method, string path, string reason);

        [LoggerMessage(4012, LogLevel.Debug, "{Method} {Path}: the request was refused by the server's HTTP layer ({Reason})")]
        public static partial void BadRequest(ILogger logger, string method, string path, string reason);
    }
}
