namespace Acorn.Threading.Internal;

/// <summary>A bounded free list of wait nodes of one owner, so contended waits do not allocate.</summary>
/// <typeparam name="TGuard">The guard the nodes complete with.</typeparam>
/// <remarks>
/// Waiters return their node lock-free (a push onto <see cref="_returned"/>), so a woken waiter does not contend
/// for the owner lock; renting happens under the owner lock anyway and takes the whole returned chain at once,
/// which keeps the stack free of the ABA problem (there is no concurrent pop).
/// </remarks>
internal sealed class WaitNodePool<TGuard>
    where TGuard : struct, IGuard<TGuard>
{
    // Enough for the 64-task contention the benchmarks use; beyond it nodes are left to the GC.
    private const int Capacity = 64;

    private readonly WaitOwner _owner;
    private WaitNode<TGuard>? _free;
    private WaitNode<TGuard>? _returned;
    private int _count;

    internal WaitNodePool(WaitOwner owner) => _owner = owner;

    /// <summary>Takes a node; owner lock.</summary>
    internal WaitNode<TGuard> RentLocked()
    {
        var node = _free ?? Interlocked.Exchange(ref _returned, null);
        if (node is null)
        {
            return new WaitNode<TGuard>(_owner, this);
        }

        _free = node.NextFree;
        node.NextFree = null;
        Interlocked.Decrement(ref _count);
        return node;
    }

    /// <summary>Takes back a node whose wait is over and whose result was read; any thread, no lock.</summary>
    internal void Return(WaitNode<TGuard> node)
    {
        node.Recycle();
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return;
        }

        var head = Volatile.Read(ref _returned);
        while (true)
        {
            node.NextFree = head;
            var seen = Interlocked.CompareExchange(ref _returned, node, head);
            if (seen == head)
            {
                return;
            }

            head = seen;
        }
    }
}
