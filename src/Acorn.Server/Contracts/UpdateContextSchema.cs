using System.Text.Json;

namespace Acorn.Server.Contracts;

/// <summary>The body of <c>PUT /contexts/{id}</c>, for the OpenAPI document; the server reads it field by field.</summary>
/// <param name="Data">The new JSON object; <c>{}</c> when left out.</param>
/// <param name="Metadata">The new metadata; none when left out.</param>
/// <param name="TimeToLive">
/// A new time to live from this write on: an ISO 8601 duration (<c>"PT30M"</c>), positive and at most 100 years;
/// <c>null</c> for never. Left out: the context keeps its expiry.
/// </param>
public sealed record UpdateContextSchema(JsonElement? Data, IReadOnlyDictionary<string, string>? Metadata, string? TimeToLive);
