namespace Acorn.Contexts;

/// <summary>A stored context that cannot be read (corrupt, or written under limits the reader does not allow): it is quarantined.</summary>
/// <param name="Id">The context id, as stored.</param>
/// <param name="Reason">Why it cannot be read.</param>
public sealed record UnreadableContext(string Id, string Reason);
