using System.Text.Json;

namespace Acorn.Server.Contracts;

/// <summary>The body of <c>PUT /contexts/{id}</c>, for the OpenAPI document; the server reads it field by field.</summary>
/// <param name="Data">The new JSON object; <c>{}</c> when left out.</param>
/// <param name="Metadata">The new metadata; none when left out.</param>
public sealed record UpdateContextSchema(JsonElement? Data, IReadOnlyDictionary<string, string>? Metadata);
