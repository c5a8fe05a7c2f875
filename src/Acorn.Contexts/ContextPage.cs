namespace Acorn.Contexts;

/// <summary>One page of contexts ordered by id.</summary>
/// <param name="Items">The contexts on this page.</param>
/// <param name="Next">The id to pass as <c>after</c> for the next page, or <see langword="null"/> on the last page.</param>
public sealed record ContextPage(IReadOnlyList<ContextState> Items, string? Next);
