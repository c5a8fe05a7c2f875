namespace Acorn.Contexts;

/// <summary>One entry of the change feed.</summary>
/// <param name="Sequence">
/// A number that increases with every change this manager publishes; a gap tells a subscriber that it missed changes
/// (see <see cref="ContextChangeSubscription"/>).
/// </param>
/// <param name="Kind">What happened.</param>
/// <param name="ContextId">The context.</param>
/// <param name="Version">The version after the change; for a deletion, the version that was deleted.</param>
/// <param name="State">The new state, or <see langword="null"/> for deletions and expiries.</param>
/// <param name="Timestamp">When the change was made.</param>
public sealed record ContextChange(
    long Sequence,
    ContextChangeKind Kind,
    string ContextId,
    long Version,
    ContextState? State,
    DateTimeOffset Timestamp);
