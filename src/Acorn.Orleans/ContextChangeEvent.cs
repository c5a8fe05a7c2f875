using Acorn.Contexts;

namespace Acorn.Orleans;

/// <summary>A persisted context write as the context grain publishes it on its scope's change stream.</summary>
/// <param name="Kind">What happened, as <see cref="ContextChangeKind"/>'s value (Acorn.Contexts has no Orleans codecs).</param>
/// <param name="Change">The context's change number (see <see cref="ContextWriteResult.Change"/>).</param>
/// <param name="Record">The new state, or the removed one for deletions and expiries.</param>
[GenerateSerializer, Immutable]
public sealed record ContextChangeEvent([property: Id(0)] int Kind, [property: Id(1)] long Change, [property: Id(2)] ContextRecord Record)
{
    /// <summary>What happened.</summary>
    public ContextChangeKind ChangeKind => (ContextChangeKind)Kind;
}
