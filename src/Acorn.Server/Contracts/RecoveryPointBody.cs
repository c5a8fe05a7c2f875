using Acorn.Contexts;

namespace Acorn.Server.Contracts;

/// <summary>A recovery point as the API returns it.</summary>
/// <param name="Id">The recovery point's id (a sequence number, higher is newer).</param>
/// <param name="ContextId">The context it belongs to.</param>
/// <param name="Version">The context version it captured.</param>
/// <param name="CreatedAt">When it was taken.</param>
/// <param name="State">The context as it was at that version: what a restore brings back (as a new version).</param>
public sealed record RecoveryPointBody(long Id, string ContextId, long Version, DateTimeOffset CreatedAt, ContextStateBody State)
{
    internal static RecoveryPointBody From(RecoveryPoint point) =>
        new(point.Id, point.ContextId, point.Version, point.CreatedAt, ContextStateBody.From(point.State));
}
