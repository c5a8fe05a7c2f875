using System.Globalization;
using Acorn.Contexts;
using Acorn.Contexts.Internal;
using Acorn.Server.Contracts;
using Acorn.Server.Security;

namespace Acorn.Server.Endpoints;

/// <summary><c>/contexts/{id}/recovery-points</c>: take, list (newest first) and restore; a restore is a write (version + 1).</summary>
internal static class RecoveryPointEndpoints
{
    public static void MapRecoveryPointEndpoints(this IEndpointRouteBuilder routes)
    {
        var read = routes.MapGroup("/contexts/{id}/recovery-points").WithTags("Recovery points")
            .RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy);
        var write = routes.MapGroup("/contexts/{id}/recovery-points").WithTags("Recovery points")
            .RequireAuthorization(ApiKeyAuthenticationHandler.AdminPolicy);

        write.MapPost("/", CreateAsync)
            .WithSummary("Takes a recovery point of the context's current version.")
            .Produces<RecoveryPointBody>(201).ProducesProblem(400).ProducesProblem(404);
        read.MapGet("/", ListAsync)
            .WithSummary("Lists the context's recovery points, newest first.")
            .Produces<ItemsBody<RecoveryPointBody>>().ProducesProblem(400).ProducesProblem(404);
        write.MapPost("/{rpId}/restore", RestoreAsync)
            .WithSummary("Restores a recovery point: the context's data and metadata become the point's, at version current + 1; with If-Match only if the context is still at that version.")
            .Produces<ContextStateBody>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
    }

    private static async Task<IResult> CreateAsync(string id, IContextManager manager, CancellationToken cancellationToken)
    {
        var point = await manager.CreateRecoveryPointAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/contexts/{Uri.EscapeDataString(id)}/recovery-points/{point.Id}", RecoveryPointBody.From(point));
    }

    private static async Task<IResult> ListAsync(string id, IContextManager manager, CancellationToken cancellationToken)
    {
        var points = await manager.ListRecoveryPointsAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ItemsBody<RecoveryPointBody>([.. points.Select(RecoveryPointBody.From)]));
    }

    private static async Task<IResult> RestoreAsync(string id, string rpId, HttpContext http, IContextManager manager, CancellationToken cancellationToken)
    {
        if (!long.TryParse(rpId, NumberStyles.None, CultureInfo.InvariantCulture, out var pointId))
        {
            return Problems.BadRequest("rpId", $"A recovery point id is a whole number, not '{LogText.Escape(rpId)}'.");
        }

        var (expected, badTag) = VersionTags.ReadIfMatch(http.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        var restored = await manager.RestoreAsync(id, pointId, expected, cancellationToken).ConfigureAwait(false);
        return ContextEndpoints.StateResult(http, restored);
    }
}
