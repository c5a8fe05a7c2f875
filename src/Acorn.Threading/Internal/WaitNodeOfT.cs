using System.Threading.Tasks.Sources;

namespace Acorn.Threading.Internal;

/// <summary>A pooled wait node that completes as a guard (or, for the try forms, as no guard).</summary>
/// <typeparam name="TGuard">The guard the waiter receives.</typeparam>
internal sealed class WaitNode<TGuard> : WaitNode, IValueTaskSource<TGuard>, IValueTaskSource<TGuard?>
    where TGuard : struct, IGuard<TGuard>
{
    private readonly WaitNodePool<TGuard> _pool;
    private ManualResetValueTaskSourceCore<long> _core;

    internal WaitNode(WaitOwner owner, WaitNodePool<TGuard> pool)
        : base(owner)
    {
        _pool = pool;
        // A release must never run the next holder's code on the releasing thread.
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Link of the pool's free lists; written only by whoever holds the node.</summary>
    internal WaitNode<TGuard>? NextFree;

    internal short Version => _core.Version;

    TGuard IValueTaskSource<TGuard>.GetResult(short token)
    {
        try
        {
            return TGuard.Create(GuardTarget!, _core.GetResult(token));
        }
        finally
        {
            _pool.Return(this);
        }
    }

    TGuard? IValueTaskSource<TGuard?>.GetResult(short token)
    {
        try
        {
            var ticket = _core.GetResult(token);
            return ticket == 0 ? null : TGuard.Create(GuardTarget!, ticket);
        }
        finally
        {
            _pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Clears the node for reuse, once its result was read.</summary>
    internal void Recycle()
    {
        Reset();
        _core.Reset();
    }

    protected override void SetResult(long ticket) => _core.SetResult(ticket);

    protected override void SetException(Exception error) => _core.SetException(error);
}
