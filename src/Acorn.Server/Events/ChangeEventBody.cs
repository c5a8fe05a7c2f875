using Acorn.Contexts;
using Acorn.Server.Contracts;

namespace Acorn.Server.Events;

/// <summary>The data of one server-sent change event.</summary>
/// <param name="Kind">created, updated, deleted, restored or expired (also the SSE event name).</param>
/// <param name="ContextId">The context that changed.</param>
/// <param name="Version">Its version after the change (for a delete: the version deleted).</param>
/// <param name="Timestamp">When the change was made.</param>
/// <param name="State">The new state, or null for deleted and expired.</param>
public sealed record ChangeEventBody(ContextChangeKind Kind, string ContextId, long Version, DateTimeOffset Timestamp, ContextStateBody? State)
{
    internal static ChangeEventBody From(ContextChange change) =>
        new(change.Kind, change.ContextId, change.Version, change.Timestamp,
            change.Kind is ContextChangeKind.Deleted or ContextChangeKind.Expired || change.State is null ? null : ContextStateBody.From(change.State));
}
