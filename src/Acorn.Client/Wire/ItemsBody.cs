namespace Acorn.Client.Wire;

/// <summary>A list response: <c>{"items":[...]}</c>.</summary>
internal sealed record ItemsBody<T>(IReadOnlyList<T> Items);
