namespace Acorn.Server.Contracts;

/// <summary>One page of <c>GET /contexts</c>.</summary>
/// <param name="Items">The contexts, ordered by id.</param>
/// <param name="Next">The id to pass as <c>after</c> for the next page, or null on the last page.</param>
/// <param name="Count">How many contexts the whole store holds (not this page, not only those matching the prefix), including expired ones not yet removed.</param>
public sealed record ContextPageBody(IReadOnlyList<ContextStateBody> Items, string? Next, int Count);
