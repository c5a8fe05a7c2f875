using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Acorn.Contexts.Internal;
using Acorn.Contexts.Patching;

namespace Acorn.Contexts;

/// <summary>
/// A change to a context's data, as data: a JSON Merge Patch (RFC 7396) or a JSON Patch (RFC 6902), checked when it is
/// created and applied with <see cref="ApplyTo"/>. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// A patch is what <see cref="IContextManager.PatchAsync"/> applies atomically on the context's current data, so
/// concurrent patches of different fields never lose each other's changes, and no caller code runs inside the
/// context's write path (plugins send patches, not functions).
/// </para>
/// <para>
/// <see cref="ApplyTo"/> works on any JSON value; whether the result is acceptable context data (an object within the
/// size and depth limits) is for the manager to decide. Two bounds hold whatever the limits: a patch document, and a
/// result, nest at most 1,000 levels (the most <see cref="ContextOptions.MaxDataDepth"/> allows), and the <c>copy</c>
/// operations of one patch copy at most 16 MiB in total, so a short patch cannot exhaust memory by copying the data
/// into itself again and again.
/// </para>
/// </remarks>
[DebuggerDisplay("{Kind}: {ToString(),nq}")]
public sealed class ContextPatch
{
    // Throws on an unpaired surrogate where Encoding.UTF8 would write U+FFFD instead, silently changing the document.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MergePatchNode? _merge;
    private readonly JsonPatchOperation[] _operations;

    private ContextPatch(ContextPatchKind kind, JsonElement document)
    {
        Kind = kind;
        Document = document;
        if (kind == ContextPatchKind.MergePatch)
        {
            _merge = MergePatchNode.From(document);
            _operations = [];
        }
        else
        {
            _operations = JsonPatchOperation.ParseAll(document);
        }
    }

    /// <summary>Which kind of patch this is.</summary>
    public ContextPatchKind Kind { get; }

    /// <summary>The patch document (the patch's own copy).</summary>
    public JsonElement Document { get; }

    /// <summary>Parses a patch document.</summary>
    /// <param name="kind">Whether the text is a merge patch or a JSON Patch.</param>
    /// <param name="json">The document: for a JSON Patch an array of operations; for a merge patch any JSON value.</param>
    /// <returns>The patch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a <see cref="ContextPatchKind"/>.</exception>
    /// <exception cref="InvalidContextPatchException">The text is not JSON, not valid Unicode, or not a well-formed patch of that kind; the message says why.</exception>
    public static ContextPatch Parse(ContextPatchKind kind, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException ex)
        {
            throw new InvalidContextPatchException($"the document is not valid Unicode ({ex.Message})", innerException: ex);
        }

        return Create(kind, utf8);
    }

    /// <summary>Creates a patch from a parsed document, which it copies.</summary>
    /// <param name="kind">Whether the document is a merge patch or a JSON Patch.</param>
    /// <param name="document">The document: for a JSON Patch an array of operations; for a merge patch any JSON value.</param>
    /// <returns>The patch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a <see cref="ContextPatchKind"/>.</exception>
    /// <exception cref="InvalidContextPatchException">The document is not a well-formed patch of that kind; the message says why.</exception>
    public static ContextPatch From(ContextPatchKind kind, JsonElement document)
    {
        if (document.ValueKind == JsonValueKind.Undefined)
        {
            throw new InvalidContextPatchException("the patch document is empty");
        }

        return Create(kind, JsonMarshal.GetRawUtf8Value(document));
    }

    /// <summary>Applies the patch to <paramref name="data"/> and returns the result; <paramref name="data"/> is not changed.</summary>
    /// <param name="contextId">The context the data belongs to, named in errors.</param>
    /// <param name="data">The data to patch: any JSON value.</param>
    /// <returns>The patched data.</returns>
    /// <exception cref="ArgumentException"><paramref name="data"/> is undefined (a default <see cref="JsonElement"/>).</exception>
    /// <exception cref="ContextPatchFailedException">
    /// A JSON Patch operation cannot apply: a <c>test</c> failed, a path to remove, replace, move or copy from does not
    /// exist, an array index is out of range, or a parent is not an object or array. The exception names the operation's
    /// index and path; the whole patch is refused.
    /// </exception>
    /// <exception cref="InvalidContextDataException">The result would nest deeper than 1,000 levels.</exception>
    public JsonElement ApplyTo(string contextId, JsonElement data)
    {
        ArgumentNullException.ThrowIfNull(contextId);
        if (data.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("There is no data to patch (an undefined JSON element).", nameof(data));
        }

        if (_merge is null)
        {
            return JsonPatchApplication.Apply(contextId, _operations, data);
        }

        var merged = PatchJson.Write(contextId, (_merge, data), static (writer, state) => state._merge.WriteMerged(writer, state.data));
        return PatchJson.Parse(merged.WrittenSpan);
    }

    /// <summary>
    /// A merge patch's writer of patched data, or <see langword="null"/> for a JSON Patch (applied on nodes by
    /// <see cref="ApplyTo"/>): the manager writes a merge patch's result once, straight into the text it keeps.
    /// </summary>
    internal MergePatchNode? Merge => _merge;

    /// <summary>The patch document as JSON text.</summary>
    /// <returns>The document's text.</returns>
    public override string ToString() => Document.GetRawText();

    private static ContextPatch Create(ContextPatchKind kind, ReadOnlySpan<byte> utf8)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of patch.");
        }

        JsonElement document;
        try
        {
            // Parsing again, even a parsed element: the patch owns its copy, and the depth bound holds whoever parsed it.
            document = PatchJson.ParsePatch(utf8);
        }
        catch (JsonException ex)
        {
            throw new InvalidContextPatchException(
                $"the document is not JSON within {PatchJson.MaxDepth} levels of nesting, with each member named once ({ex.Message})", innerException: ex);
        }

        // Text System.Text.Json parses but cannot write again (an escaped lone surrogate) would fail the write that
        // applies the patch with InvalidOperationException: the document itself is what is wrong.
        if (JsonTextCheck.Explain(utf8) is { } badText)
        {
            throw new InvalidContextPatchException($"the document {badText}");
        }

        return new ContextPatch(kind, document);
    }
}
