namespace Acorn.Plugins.Loading;

/// <summary>Checks, off the caller's path, that unloaded plugins' load contexts are collected; one loop of full collections serves every pending check.</summary>
/// <remarks>
/// A full blocking collection stops the whole process, so the checks share them: ten plugins unloaded together cost
/// the collections of the slowest one, not ten times as many. Each check gives up after its own number of cycles.
/// </remarks>
internal sealed class UnloadVerifier(CancellationToken stopping)
{
    private readonly Lock _gate = new();
    private readonly List<Pending> _pending = [];
    private bool _running;

    /// <summary>Starts checking a context.</summary>
    /// <param name="tracker">The unloaded context.</param>
    /// <param name="maxGcCycles">How many cycles (a collection, the finalizers, a collection) to try before it counts as leaked.</param>
    /// <returns><see langword="true"/> once it is collected; <see langword="false"/> if it is still alive after <paramref name="maxGcCycles"/>; cancelled when the host stops.</returns>
    public Task<bool> VerifyAsync(PluginUnloadTracker tracker, int maxGcCycles)
    {
        var pending = new Pending(tracker, maxGcCycles);
        bool start;
        lock (_gate)
        {
            _pending.Add(pending);
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = Task.Run(LoopAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _running = false;
                    return;
                }

                if (stopping.IsCancellationRequested)
                {
                    _pending.ForEach(p => p.Done.TrySetCanceled(stopping));
                    _pending.Clear();
                    _running = false;
                    return;
                }
            }

            PluginUnloadTracker.Collect();

            // Unloading finishes on the finalizer thread and may take more than one cycle; give it a moment.
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _pending.RemoveAll(p => p.Step());
            }
        }
    }

    private sealed class Pending(PluginUnloadTracker tracker, int cyclesLeft)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Counts one cycle; true when the check is over.</summary>
        public bool Step()
        {
            if (tracker.IsCollected)
            {
                Done.TrySetResult(true);
                return true;
            }

            if (--cyclesLeft > 0)
            {
                return false;
            }

            Done.TrySetResult(false);
            return true;
        }
    }
}
