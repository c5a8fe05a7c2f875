using System.Runtime.InteropServices;
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
    /// <summary>The state, holding a copy of the data's UTF-8 text as the server sent it.</summary>
    public ContextState ToState() =>
        ContextState.FromStore(Id, Version, CreatedAt, UpdatedAt, ExpiresAt, JsonMarshal.GetRawUtf8Value(Data), ContextState.FreezeMetadata(Metadata));
}
