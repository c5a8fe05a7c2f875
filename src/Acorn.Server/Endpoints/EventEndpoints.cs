using Acorn.Contexts;
using Acorn.Server.Events;
using Acorn.Server.Security;

namespace Acorn.Server.Endpoints;

/// <summary><c>GET /events</c> and <c>GET /contexts/{id}/events</c>: changes as server-sent events.</summary>
internal static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/events", (HttpContext http, ChangeEventStream stream) => stream.RunAsync(http, contextId: null))
            .RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy)
            .WithTags("Events")
            .WithSummary("Streams every context change (created, updated, deleted, restored, expired) as server-sent events.")
            .Produces(200, contentType: "text/event-stream");
        routes.MapGet("/contexts/{id}/events", (string id, HttpContext http, ChangeEventStream stream) =>
            {
                ContextId.Validate(id);
                return stream.RunAsync(http, id);
            })
            .RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy)
            .WithTags("Events")
            .WithSummary("Streams the changes of one context as server-sent events; the context need not exist yet.")
            .Produces(200, contentType: "text/event-stream").ProducesProblem(400);
    }
}
