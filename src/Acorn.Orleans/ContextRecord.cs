using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>One version of a context as a grain holds, persists and returns it.</summary>
/// <remarks>
/// Data travels as JSON text: a <see cref="System.Text.Json.JsonElement"/> has no Orleans codec, and text is what every
/// storage provider can keep. <see cref="ToState"/> turns it back into Acorn's <see cref="ContextState"/>.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record ContextRecord
{
    /// <summary>The context id.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The version: 1 when created, one higher after every successful write.</summary>
    [Id(1)] public required long Version { get; init; }

    /// <summary>When the context was created.</summary>
    [Id(2)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When this version was written.</summary>
    [Id(3)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the context expires, or <see langword="null"/> when it never does.</summary>
    [Id(4)] public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The data: a JSON object, as text.</summary>
    [Id(5)] public required string DataJson { get; init; }

    /// <summary>String metadata; never changed after the record is made.</summary>
    [Id(6)] public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Returns the record as Acorn's immutable <see cref="ContextState"/>.</summary>
    /// <returns>The state.</returns>
    public ContextState ToState() =>
        ContextState.FromStore(Id, Version, CreatedAt, UpdatedAt, ExpiresAt, DataJson, Metadata);
}
