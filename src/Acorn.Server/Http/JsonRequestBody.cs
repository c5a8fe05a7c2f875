using System.Net.Mime;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Acorn.Server;

/// <summary>
/// Reads a request body as JSON within the server's limits, turning every way it can be wrong into its own 4xx: 415 for
/// another media type, 413 above the size limit, 400 for bad or too deeply nested JSON.
/// </summary>
internal sealed class JsonRequestBody(IOptions<AcornServerOptions> options)
{
    private readonly JsonDocumentOptions _parse = new() { MaxDepth = options.Value.MaxJsonDepth };

    /// <summary>Parses the body as a JSON object; on failure the returned error is the response to send instead.</summary>
    public async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, UnsupportedMediaType($"The body must be JSON (Content-Type: application/json), not '{request.ContentType ?? "none"}'."));
        }

        var (document, error) = await ParseAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null || document!.RootElement.ValueKind == JsonValueKind.Object)
        {
            return (document, error);
        }

        document.Dispose();
        return (null, Problems.BadRequest("body", "The body must be a JSON object."));
    }

    /// <summary>
    /// Parses the body as any JSON value, for a caller that has checked the media type itself; on failure the returned
    /// error is the response to send instead.
    /// </summary>
    public async Task<(JsonDocument? Document, IResult? Error)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, _parse, cancellationToken).ConfigureAwait(false), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("body", $"The body is not valid JSON within {_parse.MaxDepth} levels of nesting: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Respond(
                StatusCodes.Status413PayloadTooLarge,
                "Body too large",
                $"The body is larger than {options.Value.MaxRequestBodyBytes} bytes.",
                new Dictionary<string, object?> { ["limit"] = options.Value.MaxRequestBodyBytes }));
        }
    }

    /// <summary>The media type of a <c>Content-Type</c> header, without its parameters.</summary>
    public static string? MediaTypeOf(string? contentType) => contentType?.Split(';')[0].Trim();

    /// <summary>A 415 problem.</summary>
    public static IResult UnsupportedMediaType(string detail) =>
        Problems.Respond(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    private static bool IsJson(string? contentType)
    {
        var mediaType = MediaTypeOf(contentType);
        return string.Equals(mediaType, MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            || (mediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false);
    }
}
