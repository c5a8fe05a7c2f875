using System.Globalization;
using Acorn.Contexts;
using Acorn.Contexts.Internal;
using Acorn.Server.Contracts;
using Acorn.Server.OpenApi;
using Acorn.Server.Security;
using Microsoft.Extensions.Options;

namespace Acorn.Server.Endpoints;

/// <summary><c>/contexts</c>: create, read, list, replace, patch and delete, with versions as ETags and <c>If-Match</c> as compare-and-set.</summary>
internal static class ContextEndpoints
{
    public static void MapContextEndpoints(this IEndpointRouteBuilder routes)
    {
        var read = routes.MapGroup("/contexts").WithTags("Contexts").RequireAuthorization(ApiKeyAuthenticationHandler.ReadPolicy);
        var write = routes.MapGroup("/contexts").WithTags("Contexts").RequireAuthorization(ApiKeyAuthenticationHandler.AdminPolicy);

        read.MapGet("/", ListAsync)
            .WithSummary("Lists contexts by id, one page at a time, optionally only ids that start with a prefix.")
            .WithDescription(
                "limit: page size (default 100); after: the previous page's next; prefix: only ids that start with it (for ids like tenant:session). "
                + "Each page costs its own size, whatever the number of contexts. count: contexts in the whole store, not the page.")
            .Produces<ContextPageBody>().ProducesProblem(400);
        read.MapGet("/{id}", GetAsync)
            .WithSummary("Reads a context; its version is the ETag.")
            .Produces<ContextStateBody>().ProducesProblem(400).ProducesProblem(404);
        write.MapPost("/", CreateAsync)
            .WithSummary("Creates a context; its first version is above every version its id ever had (1 unless a context was deleted before).")
            .Accepts<CreateContextSchema>("application/json")
            .Produces<ContextStateBody>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);
        write.MapPut("/{id}", UpdateAsync)
            .WithSummary("Replaces a context's data and metadata (and its time to live, when given); with If-Match only if it is still at that version.")
            .Accepts<UpdateContextSchema>("application/json")
            .Produces<ContextStateBody>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(412).ProducesProblem(413).ProducesProblem(415);
        write.MapPatch("/{id}", PatchAsync)
            .WithSummary("Applies a JSON Merge Patch or a JSON Patch to a context's data; with If-Match only if it is still at that version.")
            .WithDescription(
                "Content-Type application/merge-patch+json (RFC 7396): a partial document, null removes a member. "
                + "application/json-patch+json (RFC 6902): an array of add, remove, replace, move, copy and test operations. "
                + "Metadata and expiry are unchanged. 409: an operation cannot apply (the problem names its index as 'operation' and its 'path'); "
                + "422: the patched data would break the data limits or not be an object.")
            .AddOpenApiOperationTransformer(PatchRequestBodyTransformer.DescribeAsync)
            .Produces<ContextStateBody>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412)
            .ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        write.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Deletes a context and its recovery points; with If-Match only if it is still at that version.")
            .Produces(204).ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
    }

    internal static IResult StateResult(HttpContext http, ContextState state, int status = StatusCodes.Status200OK)
    {
        http.Response.Headers.ETag = VersionTags.Format(state.Version);
        var body = ContextStateBody.From(state);
        return status == StatusCodes.Status201Created
            ? TypedResults.Created($"/contexts/{Uri.EscapeDataString(state.Id)}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<IResult> ListAsync(
        IContextManager manager, IOptions<AcornServerOptions> options, string? limit, string? after, string? prefix, CancellationToken cancellationToken)
    {
        var size = options.Value.DefaultPageSize;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > options.Value.MaxPageSize))
        {
            return Problems.BadRequest("limit", $"'limit' must be a whole number from 1 to {options.Value.MaxPageSize}, not '{LogText.Escape(limit)}'.");
        }

        try
        {
            ContextId.ValidatePrefix(prefix);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest("prefix", e.Message);
        }

        var page = await manager.ListAsync(size, after, prefix, cancellationToken).ConfigureAwait(false);
        var count = await manager.CountAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ContextPageBody([.. page.Items.Select(ContextStateBody.From)], page.Next, count));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IContextManager manager, CancellationToken cancellationToken) =>
        StateResult(http, await manager.GetAsync(id, cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> CreateAsync(HttpContext http, IContextManager manager, JsonRequestBody body, CancellationToken cancellationToken)
    {
        var (request, error) = await ContextRequest.ReadAsync(http.Request, body, withId: true, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var created = await manager.CreateAsync(request!.Id!, request.Content, cancellationToken).ConfigureAwait(false);
        return StateResult(http, created, StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpContext http, IContextManager manager, JsonRequestBody body, CancellationToken cancellationToken)
    {
        var (expected, badTag) = VersionTags.ReadIfMatch(http.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        var (request, error) = await ContextRequest.ReadAsync(http.Request, body, withId: false, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var updated = await manager.UpdateAsync(id, request!.Content, expected, cancellationToken).ConfigureAwait(false);
        return StateResult(http, updated);
    }

    private static async Task<IResult> PatchAsync(
        string id, HttpContext http, IContextManager manager, JsonRequestBody body, CancellationToken cancellationToken)
    {
        var (expected, badTag) = VersionTags.ReadIfMatch(http.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        var (patch, error) = await ContextPatchRequest.ReadAsync(http.Request, body, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        try
        {
            return StateResult(http, await manager.PatchAsync(id, patch!, expected, cancellationToken).ConfigureAwait(false));
        }
        catch (InvalidContextDataException e)
        {
            // The patch was well formed, but its result is not acceptable data: unprocessable, not a bad request.
            return Problems.Respond(
                StatusCodes.Status422UnprocessableEntity,
                "Patched data is invalid",
                e.Message,
                new Dictionary<string, object?> { ["field"] = "data", ["contextId"] = e.ContextId, ["reason"] = e.Reason });
        }
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IContextManager manager, CancellationToken cancellationToken)
    {
        var (expected, badTag) = VersionTags.ReadIfMatch(http.Request);
        if (badTag is not null)
        {
            return badTag;
        }

        await manager.DeleteAsync(id, expected, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
