using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Server.Contracts;

/// <summary>A context as the API returns it.</summary>
/// <param name="Id">The context id.</param>
/// <param name="Version">The version; also the response's ETag.</param>
/// <param name="CreatedAt">When the context was created (its first version was written).</param>
/// <param name="UpdatedAt">When this version was written.</param>
/// <param name="ExpiresAt">When the context expires, or null.</param>
/// <param name="Data">The JSON object.</param>
/// <param name="Metadata">String metadata.</param>
public sealed record ContextStateBody(
    string Id,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpiresAt,
    JsonElement Data,
    IReadOnlyDictionary<string, string> Metadata)
{
    // Without keeping the parse: a client paging through every context must not leave every state holding its parsed form.
    internal static ContextStateBody From(ContextState state) =>
        new(state.Id, state.Version, state.CreatedAt, state.UpdatedAt, state.ExpiresAt, state.DataWithoutKeeping, state.Metadata);
}
