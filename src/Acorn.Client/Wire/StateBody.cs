using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Client.Wire;

/// <summary>A context as the server sends it (DESIGN §7 state body).</summary>
internal sealed record StateBody(
    string Id,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpiresAt,
    JsonElement Data,
    Dictionary<string, string>? Metadata)
{
    /// <summary>The state; the deserialized data element is this state's own, so it is kept as it is.</summary>
    public ContextState ToState() =>
        new(Id, Version, CreatedAt, UpdatedAt, ExpiresAt, Data, ContextState.FreezeMetadata(Metadata));
}
