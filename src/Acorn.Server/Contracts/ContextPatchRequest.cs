using Acorn.Contexts;

namespace Acorn.Server.Contracts;

/// <summary>
/// The body of <c>PATCH /contexts/{id}</c>: a JSON Merge Patch (<c>application/merge-patch+json</c>) or a JSON Patch
/// (<c>application/json-patch+json</c>), told apart by its media type.
/// </summary>
internal static class ContextPatchRequest
{
    public const string MergePatchMediaType = "application/merge-patch+json";
    public const string JsonPatchMediaType = "application/json-patch+json";

    /// <summary>The media types the route accepts, as the <c>Accept-Patch</c> header lists them (RFC 5789 section 3.1).</summary>
    public const string AcceptPatch = MergePatchMediaType + ", " + JsonPatchMediaType;

    /// <summary>Reads the patch; on failure the returned error is the response to send instead.</summary>
    /// <exception cref="InvalidContextPatchException">The body is JSON but not a well-formed patch.</exception>
    public static async Task<(ContextPatch? Patch, IResult? Error)> ReadAsync(
        HttpRequest request, JsonRequestBody body, CancellationToken cancellationToken)
    {
        var mediaType = JsonRequestBody.MediaTypeOf(request.ContentType);
        ContextPatchKind? kind =
            string.Equals(mediaType, MergePatchMediaType, StringComparison.OrdinalIgnoreCase) ? ContextPatchKind.MergePatch
            : string.Equals(mediaType, JsonPatchMediaType, StringComparison.OrdinalIgnoreCase) ? ContextPatchKind.JsonPatch
            : null;
        if (kind is null)
        {
            request.HttpContext.Response.Headers["Accept-Patch"] = AcceptPatch;
            return (null, JsonRequestBody.UnsupportedMediaType(
                $"A patch must be {MergePatchMediaType} (RFC 7396) or {JsonPatchMediaType} (RFC 6902), not '{request.ContentType ?? "none"}'."));
        }

        var (document, error) = await body.ParseAsync(request, cancellationToken).ConfigureAwait(false);
        using (document)
        {
            if (error is not null)
            {
                return (null, error);
            }

            // A malformed patch throws InvalidContextPatchException, which the exception handler answers with 400.
            return (ContextPatch.From(kind.Value, document!.RootElement), null);
        }
    }
}
