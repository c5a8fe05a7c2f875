using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Internal;

namespace Acorn.Server.Contracts;

/// <summary>
/// The body of <c>POST /contexts</c> (<c>{"id","data","metadata","timeToLive"}</c>) and <c>PUT /contexts/{id}</c>
/// (<c>{"data","metadata","timeToLive"}</c>), checked field by field so an error names the field at fault.
/// </summary>
internal sealed record ContextRequest(string? Id, ContextContent Content)
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    /// <summary>Reads and checks the body; on failure the returned error is the response to send instead.</summary>
    public static async Task<(ContextRequest? Request, IResult? Error)> ReadAsync(
        HttpRequest request, JsonRequestBody body, bool withId, CancellationToken cancellationToken)
    {
        var (document, error) = await body.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        using (document)
        {
            return error is not null ? (null, error) : Parse(document!.RootElement, withId);
        }
    }

    private static (ContextRequest? Request, IResult? Error) Parse(JsonElement body, bool withId)
    {
        string? id = null;
        IResult? error;
        var data = EmptyObject;
        Dictionary<string, string>? metadata = null;
        TimeSpan? timeToLive = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "id" when withId:
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return Fail("id", "'id' must be a string.");
                    }

                    id = property.Value.GetString();
                    break;
                case "data":
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        return Fail("data", $"'data' must be a JSON object, not {JsonValueKinds.Describe(property.Value.ValueKind)}.");
                    }

                    data = property.Value.Clone();
                    break;
                case "metadata":
                    error = ParseMetadata(property.Value, out metadata);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    break;
                case TimeToLiveField.Name:
                    (var ttl, error) = TimeToLiveField.Read(property.Value);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    timeToLive = ttl;
                    break;
                default:
                    return Fail(property.Name, $"Unknown field '{LogText.Escape(property.Name)}'; the body has {(withId ? "'id', " : "")}'data', 'metadata' and 'timeToLive'.");
            }
        }

        if (withId && id is null)
        {
            return Fail("id", "'id' is required.");
        }

        return (new ContextRequest(id, new ContextContent(data, metadata) { TimeToLive = timeToLive }), null);
    }

    private static IResult? ParseMetadata(JsonElement value, out Dictionary<string, string>? metadata)
    {
        metadata = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest("metadata", "'metadata' must be a JSON object of strings.");
        }

        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                return Problems.BadRequest($"metadata.{entry.Name}", $"Metadata value '{LogText.Escape(entry.Name)}' must be a string.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }

        return null;
    }

    private static (ContextRequest?, IResult?) Fail(string field, string detail) => (null, Problems.BadRequest(field, detail));
}
