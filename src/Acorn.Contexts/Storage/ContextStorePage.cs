namespace Acorn.Contexts;

/// <summary>One page of a store's contexts in ordinal id order, as <see cref="IContextStore.ReadContextsAsync"/> reads them.</summary>
/// <param name="Contexts">The contexts read, in id order.</param>
/// <param name="Unreadable">The rows of this page that could not be read, with why: quarantined, never a reason to fail the page.</param>
/// <param name="Next">The id to read after for the next page (the last id this page covered), or <see langword="null"/> after the last page.</param>
public sealed record ContextStorePage(IReadOnlyList<ContextState> Contexts, IReadOnlyList<UnreadableContext> Unreadable, string? Next);
