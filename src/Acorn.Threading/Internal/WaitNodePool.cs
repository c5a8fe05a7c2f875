namespace Acorn.Threading.Internal;

/// <summary>A bounded free list of wait nodes of one owner, so contended waits do not allocate.</summary>
/// <typeparam name="TGuard">The guard the nodes complete with.</typeparam>
internal sealed class WaitNodePool<TGuard>
    where TGuard : struct, IGuard<TGuard>
{
    // Enough for the 64-task contention the benchmarks and tests use; beyond it nodes are left to the GC.
    private const int Capacity = 64;

    private readonly WaitOwner _owner;
    private WaitNode<TGuard>? _free;
    private int _count;

    internal WaitNodePool(WaitOwner owner) => _owner = owner;

    /// <summary>Takes a node; owner lock.</summary>
    internal WaitNode<TGuard> RentLocked()
    {
        var node = _free;
        if (node is null)
        {
            return new WaitNode<TGuard>(_owner, this);
        }

        _free = node.NextFree;
        node.NextFree = null;
        _count--;
        return node;
    }

    internal void Return(WaitNode<TGuard> node)
    {
        lock (_owner.Sync)
        {
            node.RecycleLocked();
            if (_count < Capacity)
            {
                node.NextFree = _free;
                _free = node;
                _count++;
            }
        }
    }
}
