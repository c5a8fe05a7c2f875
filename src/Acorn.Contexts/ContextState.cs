using System.Collections.Frozen;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Acorn.Contexts;

/// <summary>An immutable snapshot of one context at one version.</summary>
/// <remarks>
/// <para>
/// Every successful write produces a new <see cref="ContextState"/> with <see cref="Version"/> one higher than the
/// state it replaced, so a snapshot can be read and shared freely across threads without a lock.
/// </para>
/// <para>
/// <b>Memory.</b> A state keeps its data as compact UTF-8 JSON text: a node holds every context in memory, and a parsed
/// document costs about three times its text. <see cref="Data"/> parses it on first use and keeps the result, so a
/// context that is read keeps its parsed form and one that is not costs little more than its text. A state written by
/// an update function whose content came from <see cref="ContextContent.Parse"/> keeps that parse from the start: the
/// next update function reads it.
/// </para>
/// </remarks>
[DebuggerDisplay("{Id,nq} v{Version}")]
public sealed class ContextState
{
    // UTC ticks rather than DateTimeOffset fields (16 bytes each, 24 when nullable): Acorn's timestamps are all UTC.
    private const long NoExpiry = -1;

    private static readonly FrozenDictionary<string, string> EmptyMetadata =
        FrozenDictionary<string, string>.Empty;

    // Deep enough for any MaxDataDepth the options allow (the manager checked the configured limit when it was written).
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = ContextOptionsValidator.MaxDataDepthLimit + 1 };

    private readonly long _createdAt;
    private readonly long _updatedAt;
    private readonly long _expiresAt;
    private readonly byte[] _utf8Data;

    // Parsed on first use of Data, by whichever reader comes first (a race only parses twice).
    private JsonDocument? _parsed;

    internal ContextState(
        string id,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? expiresAt,
        byte[] utf8Data,
        IReadOnlyDictionary<string, string> metadata,
        JsonDocument? parsed = null)
    {
        Id = id;
        Version = version;
        _createdAt = createdAt.UtcTicks;
        _updatedAt = updatedAt.UtcTicks;
        _expiresAt = expiresAt is { } expires ? expires.UtcTicks : NoExpiry;
        _utf8Data = utf8Data;
        _parsed = parsed;
        Metadata = metadata;
    }

    /// <summary>The context id.</summary>
    public string Id { get; }

    /// <summary>The version: one higher after every successful write; a new context starts above every version its id ever had.</summary>
    public long Version { get; }

    /// <summary>When the context was created (UTC).</summary>
    public DateTimeOffset CreatedAt => new(_createdAt, TimeSpan.Zero);

    /// <summary>When this version was written (UTC).</summary>
    public DateTimeOffset UpdatedAt => new(_updatedAt, TimeSpan.Zero);

    /// <summary>When the context expires (UTC), or <see langword="null"/> when it never does.</summary>
    public DateTimeOffset? ExpiresAt => _expiresAt == NoExpiry ? null : new DateTimeOffset(_expiresAt, TimeSpan.Zero);

    /// <summary>The context's data: always a JSON object.</summary>
    /// <remarks>Parsed from the stored text on first use and kept; the element stays valid for the state's lifetime.</remarks>
    public JsonElement Data => (Volatile.Read(ref _parsed) ?? Parse()).RootElement;

    /// <summary>String metadata attached to the context.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// The data, parsed now if no reader parsed it before, without keeping that parse: for a reader that writes it out
    /// once (the server), so that listing every context does not leave every state holding its parsed form.
    /// </summary>
    internal JsonElement DataWithoutKeeping => (Volatile.Read(ref _parsed) ?? ParseDocument()).RootElement;

    /// <summary>The data as minified UTF-8 JSON text, without parsing it.</summary>
    internal ReadOnlySpan<byte> Utf8Data => _utf8Data;

    /// <summary>The data's UTF-8 text itself, for a new version whose data did not change (never to be modified).</summary>
    internal byte[] SharedUtf8Data => _utf8Data;

    /// <summary>Whether the context expires at all: a read checks the clock only when it does.</summary>
    internal bool HasExpiry => _expiresAt != NoExpiry;

    /// <summary>When the context expires in UTC ticks, or <see cref="long.MaxValue"/> when it never does.</summary>
    internal long ExpiresAtTicks => _expiresAt == NoExpiry ? long.MaxValue : _expiresAt;

    /// <summary>Returns whether the context has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    public bool IsExpiredAt(DateTimeOffset now) => _expiresAt != NoExpiry && _expiresAt <= now.UtcTicks;

    /// <summary>Creates a state from persisted values, for <see cref="IContextStore"/> implementations.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="version">The version, at least 1.</param>
    /// <param name="createdAt">When the context was created.</param>
    /// <param name="updatedAt">When this version was written.</param>
    /// <param name="expiresAt">When the context expires, if ever.</param>
    /// <param name="dataJson">The data as JSON text: an object, nested no deeper than <see cref="ContextOptionsValidator.MaxDataDepthLimit"/>.</param>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentException">A value is not what a persisted state can hold.</exception>
    /// <exception cref="JsonException"><paramref name="dataJson"/> is not JSON.</exception>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
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
        return FromStoreOwning(id, version, createdAt, updatedAt, expiresAt, Encoding.UTF8.GetBytes(dataJson), metadata);
    }

    /// <summary>Creates a state from persisted values whose data is UTF-8 text, for <see cref="IContextStore"/> implementations.</summary>
    /// <param name="id">The context id.</param>
    /// <param name="version">The version, at least 1.</param>
    /// <param name="createdAt">When the context was created.</param>
    /// <param name="updatedAt">When this version was written.</param>
    /// <param name="expiresAt">When the context expires, if ever.</param>
    /// <param name="utf8DataJson">The data as UTF-8 JSON text: an object, nested no deeper than <see cref="ContextOptionsValidator.MaxDataDepthLimit"/>.</param>
    /// <param name="metadata">The metadata.</param>
    /// <returns>The state, with a copy of the text.</returns>
    /// <exception cref="ArgumentException">A value is not what a persisted state can hold.</exception>
    /// <exception cref="JsonException"><paramref name="utf8DataJson"/> is not JSON.</exception>
    /// <exception cref="InvalidContextIdException"><paramref name="id"/> is not a valid id.</exception>
    public static ContextState FromStore(
        string id,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? expiresAt,
        ReadOnlySpan<byte> utf8DataJson,
        IReadOnlyDictionary<string, string> metadata) =>
        FromStoreOwning(id, version, createdAt, updatedAt, expiresAt, utf8DataJson.ToArray(), metadata);

    /// <summary>Checks persisted values and takes <paramref name="utf8Data"/> as the state's own text (the caller keeps no reference to it).</summary>
    internal static ContextState FromStoreOwning(
        string id,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? expiresAt,
        byte[] utf8Data,
        IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ContextId.Validate(id);
        if (!System.Text.Unicode.Utf8.IsValid(utf8Data))
        {
            throw new JsonException($"Stored data of context '{id}' is not valid UTF-8.");
        }

        if (FirstToken(utf8Data) != JsonTokenType.StartObject)
        {
            throw new ArgumentException($"Stored data of context '{id}' is not a JSON object.", nameof(utf8Data));
        }

        return new ContextState(id, version, createdAt, updatedAt, expiresAt, utf8Data, FreezeMetadata(metadata));
    }

    internal static IReadOnlyDictionary<string, string> FreezeMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null || metadata.Count == 0
            ? EmptyMetadata
            : metadata as FrozenDictionary<string, string> ?? metadata.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reads the whole text once without building a document: checks it is one JSON value, returns its first token.</summary>
    private static JsonTokenType FirstToken(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ParseOptions.MaxDepth });
        if (!reader.Read())
        {
            throw new JsonException("The stored data is empty.");
        }

        var first = reader.TokenType;
        reader.Skip();
        if (reader.Read())
        {
            throw new JsonException("The stored data holds more than one JSON value.");
        }

        return first;
    }

    private JsonDocument Parse()
    {
        var parsed = ParseDocument();
        return Interlocked.CompareExchange(ref _parsed, parsed, null) ?? parsed;
    }

    // Never disposed: elements of it are handed out for as long as anyone holds them. Undisposed, its pooled buffer is
    // simply collected with it.
#pragma warning disable CA2000 // The document lives as long as the elements handed out of it.
    private JsonDocument ParseDocument() => JsonDocument.Parse(_utf8Data, ParseOptions);
#pragma warning restore CA2000
}
