using System.Net;
using Acorn.Contexts;
using Acorn.Plugins.Management;

namespace Acorn.Client.Internal;

/// <summary>
/// Turns the server's error answers into the exceptions <see cref="ContextManager"/> throws for the same refusals, so
/// callers catch the same types whichever deployment they talk to.
/// </summary>
internal static class ErrorMapping
{
    public static Exception ToException(Problem problem, Uri server, string? contextId, RequestKind kind)
    {
        var id = problem.String("contextId") ?? contextId;
        return problem.Status switch
        {
            HttpStatusCode.BadRequest => BadRequest(problem, server, id, kind),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new AcornAccessDeniedException(server, (int)problem.Status, problem.Detail),
            HttpStatusCode.NotFound when problem.Long("recoveryPointId") is { } point && id is not null => new RecoveryPointNotFoundException(id, point),
            HttpStatusCode.NotFound when problem.String("pluginId") is { } plugin => new PluginNotFoundException(plugin),
            HttpStatusCode.NotFound when id is not null => new ContextNotFoundException(id),
            HttpStatusCode.Conflict => Conflict(problem, server, id),
            HttpStatusCode.PreconditionFailed when id is not null && problem.Long("expectedVersion") is { } expected =>
                new ContextVersionConflictException(id, expected, problem.Long("actualVersion") ?? 0),
            HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity when id is not null =>
                new InvalidContextDataException(id, problem.String("reason") ?? problem.DetailAsReason),
            HttpStatusCode.ServiceUnavailable when problem.IsTrue("outcomeUnknown") || (kind != RequestKind.Read && !problem.Has("outcomeUnknown")) =>
                OutcomeUnknown(server, id, problem.Detail, inner: null),
            >= HttpStatusCode.InternalServerError when kind != RequestKind.Read && problem.Status != HttpStatusCode.ServiceUnavailable =>
                OutcomeUnknown(server, id, problem.Detail, inner: null),
            >= HttpStatusCode.InternalServerError => new ContextStoreException(id, $"The Acorn server at {server} failed ({problem}); nothing was changed."),
            _ => Unexpected(problem, server),
        };
    }

    /// <summary>A write whose request may have reached the server, with no answer that says what happened.</summary>
    public static ContextWriteOutcomeUnknownException OutcomeUnknown(Uri server, string? contextId, string what, Exception? inner) =>
        new(contextId, $"The write to {(contextId is null ? "the" : $"context '{contextId}' on the")} Acorn server at {server} may or may not have happened: {what} "
            + "Read the context to see whether it did before retrying it.", inner);

    private static Exception BadRequest(Problem problem, Uri server, string? id, RequestKind kind)
    {
        var field = problem.String("field");
        var reason = problem.String("reason") ?? problem.DetailAsReason;
        if (kind == RequestKind.Patch && (field == "body" || problem.Title == "Malformed patch"))
        {
            return new InvalidContextPatchException(reason, (int?)problem.Long("operation"));
        }

        return field switch
        {
            "id" => new InvalidContextIdException(id, reason),
            "limit" => new ArgumentOutOfRangeException(problem.Detail, innerException: null),
            "data" or "body" or "timeToLive" when id is not null => new InvalidContextDataException(id, reason),
            not null when field.StartsWith("metadata", StringComparison.Ordinal) && id is not null => new InvalidContextDataException(id, reason),
            _ => Unexpected(problem, server),
        };
    }

    private static Exception Conflict(Problem problem, Uri server, string? id)
    {
        if (problem.String("pluginId") is { } plugin && problem.Strings("dependents") is { Count: > 0 } dependents)
        {
            return new PluginHasDependentsException(plugin, dependents);
        }

        if (id is null)
        {
            return Unexpected(problem, server);
        }

        if (problem.Long("limit") is { } limit)
        {
            return new ContextLimitExceededException(id, (int)limit, "contexts");
        }

        if (problem.String("op") is { } op)
        {
            return new ContextPatchFailedException(
                id, (int)(problem.Long("operation") ?? -1), op, problem.String("path") ?? "", problem.String("reason") ?? problem.DetailAsReason);
        }

        return new ContextAlreadyExistsException(id);
    }

    private static InvalidOperationException Unexpected(Problem problem, Uri server) =>
        new($"The Acorn server at {server} answered {problem}");
}
