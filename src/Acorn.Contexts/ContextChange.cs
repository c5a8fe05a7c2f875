namespace Acorn.Contexts;

/// <summary>One entry of the change feed.</summary>
/// <param name="Sequence">
/// A number that increases with every change this manager publishes; a gap tells a subscriber of all contexts that it
/// missed changes, which it also learns from a <see cref="ContextChangeKind.Reset"/> (see <see cref="ContextChangeSubscription"/>).
/// </param>
/// <param name="Kind">What happened.</param>
/// <param name="ContextId">The context; for a <see cref="ContextChangeKind.Reset"/>, the subscription's context, or empty for all.</param>
/// <param name="Version">The version after the change; for a deletion, the version that was deleted; 0 for a reset.</param>
/// <param name="State">The new state, or <see langword="null"/> for deletions, expiries and resets.</param>
/// <param name="Timestamp">When the change was made.</param>
public sealed record ContextChange(
    long Sequence,
    ContextChangeKind Kind,
    string ContextId,
    long Version,
    ContextState? State,
    DateTimeOffset Timestamp);
