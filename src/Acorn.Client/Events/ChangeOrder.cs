using Acorn.Contexts;

namespace Acorn.Client.Events;

/// <summary>
/// Places a context's changes on one line: the state at version v at 2v, its removal (a delete or expiry of v) at
/// 2v + 1, so "this stream has delivered my write" is one comparison.
/// </summary>
internal static class ChangeOrder
{
    public static long Of(ContextChangeKind kind, long version) =>
        (version * 2) + (kind is ContextChangeKind.Deleted or ContextChangeKind.Expired ? 1 : 0);
}
