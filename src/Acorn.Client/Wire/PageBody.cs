namespace Acorn.Client.Wire;

/// <summary>One page of <c>GET /contexts</c>.</summary>
internal sealed record PageBody(IReadOnlyList<StateBody> Items, string? Next, int Count);
