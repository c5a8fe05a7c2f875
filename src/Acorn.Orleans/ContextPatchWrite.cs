using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>A patch as it travels to the context grain, which parses and applies it in its turn.</summary>
/// <remarks>
/// The caller's own content limits travel with it: the grain checks the patched data against them and against the
/// silo's, so a patch cannot store more than either the client or the silo allows.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record ContextPatchWrite
{
    /// <summary>The kind of patch, as <see cref="ContextPatchKind"/>'s value (Acorn.Contexts has no Orleans codecs).</summary>
    [Id(0)] public required int Kind { get; init; }

    /// <summary>The patch document as JSON text.</summary>
    [Id(1)] public required string Document { get; init; }

    /// <summary>The caller's <see cref="ContextOptions.MaxDataBytes"/>.</summary>
    [Id(2)] public required int MaxDataBytes { get; init; }

    /// <summary>The caller's <see cref="ContextOptions.MaxDataDepth"/>.</summary>
    [Id(3)] public required int MaxDataDepth { get; init; }

    /// <summary>Converts <paramref name="patch"/> for the grain, with the caller's limits.</summary>
    /// <param name="patch">The parsed patch.</param>
    /// <param name="limits">The caller's options.</param>
    /// <returns>The patch write.</returns>
    public static ContextPatchWrite From(ContextPatch patch, ContextOptions limits)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(limits);
        return new ContextPatchWrite
        {
            Kind = (int)patch.Kind, Document = patch.ToString(), MaxDataBytes = limits.MaxDataBytes, MaxDataDepth = limits.MaxDataDepth,
        };
    }
}
