namespace Acorn.Server.Contracts;

/// <summary>A list response: <c>{"items":[...]}</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items.</param>
public sealed record ItemsBody<T>(IReadOnlyList<T> Items);
