using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Acorn.Client.Internal;

/// <summary>An error answer: its status and, from an <c>application/problem+json</c> body, its title, detail and extensions.</summary>
internal sealed class Problem
{
    private readonly JsonElement _body;

    private Problem(HttpStatusCode status, string? title, string detail, JsonElement body)
    {
        Status = status;
        Title = title;
        Detail = detail;
        _body = body;
    }

    public HttpStatusCode Status { get; }

    public string? Title { get; }

    public string Detail { get; }

    /// <summary>Reads the answer's problem body; an answer without one (a proxy's, say) keeps its status and reason phrase.</summary>
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not ("application/problem+json" or "application/json"))
        {
            return new Problem(response.StatusCode, null, fallback, default);
        }

        try
        {
            var body = await response.Content.ReadFromJsonElementAsync(cancellationToken).ConfigureAwait(false);
            var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()!
                : fallback;
            var title = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            return new Problem(response.StatusCode, title, detail, body);
        }
        catch (JsonException)
        {
            return new Problem(response.StatusCode, null, fallback, default);
        }
    }

    /// <summary>The detail without its final period, to become an exception's reason (which adds its own).</summary>
    public string DetailAsReason => Detail.TrimEnd('.');

    public string? String(string name) =>
        TryGet(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public long? Long(string name) =>
        TryGet(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public bool Has(string name) => TryGet(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public bool IsTrue(string name) => TryGet(name, out var value) && value.ValueKind == JsonValueKind.True;

    public JsonElement? Element(string name) => TryGet(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public IReadOnlyList<string> Strings(string name) =>
        TryGet(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(int)Status} {Title}: {Detail}");

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return _body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(name, out value);
    }
}
