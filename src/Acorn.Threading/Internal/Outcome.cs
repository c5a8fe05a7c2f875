namespace Acorn.Threading.Internal;

/// <summary>Turns the result of an acquire attempt into the task the caller awaits.</summary>
internal static class Outcome
{
    /// <summary>For the throwing forms: a queued node, an immediate guard, or a <see cref="TimeoutException"/> for a zero timeout.</summary>
    internal static ValueTask<TGuard> Lock<TGuard>(WaitNode<TGuard>? node, object? target, long ticket)
        where TGuard : struct, IGuard<TGuard>
    {
        if (node is not null)
        {
            return new ValueTask<TGuard>(node, node.Version);
        }

        return ticket != 0
            ? new ValueTask<TGuard>(TGuard.Create(target!, ticket))
            : ValueTask.FromException<TGuard>(new TimeoutException(Messages.Timeout));
    }

    /// <summary>For the try forms: a queued node, an immediate guard, or no guard for a zero timeout.</summary>
    internal static ValueTask<TGuard?> TryLock<TGuard>(WaitNode<TGuard>? node, object? target, long ticket)
        where TGuard : struct, IGuard<TGuard>
    {
        if (node is not null)
        {
            return new ValueTask<TGuard?>(node, node.Version);
        }

        return new ValueTask<TGuard?>(ticket != 0 ? TGuard.Create(target!, ticket) : null);
    }
}
