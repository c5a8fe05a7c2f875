namespace Acorn.Threading.Tests;

/// <summary>An async barrier: every participant waits until all have arrived, without blocking a pool thread.</summary>
/// <remarks>A blocking <see cref="Barrier"/> with 64 pool tasks starves a small thread pool for seconds.</remarks>
internal sealed class StartGate(int participants)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public Task ArriveAndWaitAsync()
    {
        if (Interlocked.Increment(ref _arrived) == participants)
        {
            _open.SetResult();
        }

        return _open.Task;
    }
}
