using System.Text.Json;

namespace Acorn.Server.Contracts;

/// <summary>The body of <c>POST /contexts</c>, for the OpenAPI document; the server reads it field by field.</summary>
/// <param name="Id">The new context's id: 1-200 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', not starting with '.'.</param>
/// <param name="Data">A JSON object; <c>{}</c> when left out.</param>
/// <param name="Metadata">String metadata.</param>
/// <param name="TimeToLive">
/// How long the context lives: an ISO 8601 duration (<c>"PT30M"</c>, <c>"P7D"</c>), positive and at most 100 years;
/// <c>null</c> for never. Left out: the server's default (<c>Acorn:Contexts:DefaultTimeToLive</c>). The state's
/// <c>expiresAt</c> shows the result.
/// </param>
public sealed record CreateContextSchema(string Id, JsonElement? Data, IReadOnlyDictionary<string, string>? Metadata, string? TimeToLive);
