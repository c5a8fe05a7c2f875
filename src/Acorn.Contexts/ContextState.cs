using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;

namespace Acorn.Contexts;

/// <summary>An immutable snapshot of one context at one version.</summary>
/// <remarks>
/// Every successful write produces a new <see cref="ContextState"/> with <see cref="Version"/> one higher than the
/// state it replaced, so a snapshot can be read and shared freely across threads without a lock.
/// </remarks>
[DebuggerDisplay("{Id,nq} v{Version}")]
public sealed class ContextState
{
    private static readonly FrozenDictionary<string, string> EmptyMetadata =
        FrozenDictionary<string, string>.Empty;

    internal ContextState(
        string id,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? expiresAt,
        JsonElement data,
        IReadOnlyDictionary<string, string> metadata)
    {
        Id = id;
        Version = version;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        ExpiresAt = expiresAt;
        Data = data;
        Metadata = metadata;
    }

    /// <summary>The context id.</summary>
    public string Id { get; }

    /// <summary>The version: 1 when created, one higher after every successful write.</summary>
    public long Version { get; }

    /// <summary>When the context was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When this version was written.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>When the context expires, or <see langword="null"/> when it never does.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The context's data: always a JSON object.</summary>
    public JsonElement Data { get; }

    /// <summary>String metadata attached to the context.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Returns whether the context has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    /// <summary>Creates a state from persisted values, for <see cref="IContextStore"/> implementations.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="version">The version, at least 1.</param>
    /// <param name="createdAt">When the context was created.</param>
    /// <param name="updatedAt">When this version was written.</param>
    /// <param name="expiresAt">When the context expires, if ever.</param>
    /// <param name="dataJson">The data as JSON text: an object.</param>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentException">A value is not what a persisted state can hold.</exception>
    public static ContextState FromStore(
        string id,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? expiresAt,
        string dataJson,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(dataJson);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ContextId.Validate(id);
        var data = JsonSerializer.Deserialize<JsonElement>(dataJson);
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Stored data of context '{id}' is not a JSON object.", nameof(dataJson));
        }

        return new ContextState(id, version, createdAt, updatedAt, expiresAt, data, FreezeMetadata(metadata));
    }

    internal static IReadOnlyDictionary<string, string> FreezeMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0
            ? EmptyMetadata
            : metadata as FrozenDictionary<string, string> ?? metadata.ToFrozenDictionary(StringComparer.Ordinal);
}
