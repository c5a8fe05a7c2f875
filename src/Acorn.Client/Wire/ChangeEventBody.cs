using Acorn.Contexts;

namespace Acorn.Client.Wire;

/// <summary>The data of one change event on the server's event stream.</summary>
internal sealed record ChangeEventBody(ContextChangeKind Kind, string ContextId, long Version, DateTimeOffset Timestamp, StateBody? State);
