namespace Acorn.Coyote.Tests;

/// <summary>
/// A deliberately broken async lock: a cancelled waiter stays in the queue, and a release that hands off to it
/// is lost, so the lock stays held forever. It exists only to prove the Coyote harness finds such bugs.
/// </summary>
internal sealed class NaiveAsyncLock
{
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private readonly object _sync = new();
    private bool _held;

    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return new Releaser(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        // The bug: cancelling completes the waiter but leaves it queued.
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            await waiter.Task;
        }

        return new Releaser(this);
    }

    private void Release()
    {
        TaskCompletionSource? next;
        lock (_sync)
        {
            if (!_waiters.TryDequeue(out next))
            {
                _held = false;
                return;
            }
        }

        // The bug, continued: when the waiter was already cancelled, nobody gets the lock.
        next.TrySetResult();
    }

    private sealed class Releaser(NaiveAsyncLock owner) : IDisposable
    {
        public void Dispose() => owner.Release();
    }
}
