using System.Net.Mime;
using System.Text.Json;
using Acorn.Contexts.Internal;
using Microsoft.Extensions.Options;

namespace Acorn.Server;

/// <summary>
/// Reads a request body as JSON within the server's limits, turning every way it can be wrong into its own 4xx: 415 for
/// another media type, 413 above the size limit, 400 for bad or too deeply nested JSON and for text that is not Unicode
/// (bytes that are not UTF-8, unpaired surrogate escapes).
/// </summary>
internal sealed class JsonRequestBody(IOptions<AcornServerOptions> options)
{
    private readonly JsonDocumentOptions _parse = new() { MaxDepth = options.Value.MaxJsonDepth };

    /// <summary>Parses the body as a JSON object; on failure the returned error is the response to send instead.</summary>
    public async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, UnsupportedMediaType($"The body must be JSON (Content-Type: application/json), not '{LogText.Escape(request.ContentType ?? "none")}'."));
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
        ReadOnlyMemory<byte> body;
        try
        {
            body = await ReadAllAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Respond(
                StatusCodes.Status413PayloadTooLarge,
                "Body too large",
                $"The body is larger than {options.Value.MaxRequestBodyBytes} bytes.",
                new Dictionary<string, object?> { ["limit"] = options.Value.MaxRequestBodyBytes }));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, _parse);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("body", $"The body is not valid JSON within {_parse.MaxDepth} levels of nesting: {e.Message}"));
        }

        // System.Text.Json parses text that is not Unicode and would store U+FFFD in its place, or fail later with a 500.
        if (JsonTextCheck.Explain(body.Span) is { } badText)
        {
            document.Dispose();
            return (null, Problems.BadRequest("body", $"The body {badText}: JSON must be UTF-8 text, and Acorn stores it exactly or not at all."));
        }

        return (document, null);
    }

    /// <summary>The media type of a <c>Content-Type</c> header, without its parameters.</summary>
    public static string? MediaTypeOf(string? contentType) => contentType?.Split(';')[0].Trim();

    /// <summary>A 415 problem.</summary>
    public static IResult UnsupportedMediaType(string detail) =>
        Problems.Respond(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    /// <summary>Reads the whole body; Kestrel's size limit ends the read with a 413 <see cref="BadHttpRequestException"/>.</summary>
    private async Task<ReadOnlyMemory<byte>> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var expected = Math.Min(request.ContentLength ?? 4096, options.Value.MaxRequestBodyBytes);
        using var buffer = new MemoryStream((int)Math.Min(expected, Array.MaxLength));
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);

        // The document parsed from this memory keeps using it; the stream's array is not reused once it is dropped.
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static bool IsJson(string? contentType)
    {
        var mediaType = MediaTypeOf(contentType);
        return string.Equals(mediaType, MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            || (mediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false);
    }
}
