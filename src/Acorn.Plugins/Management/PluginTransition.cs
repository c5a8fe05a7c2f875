using System.Diagnostics.CodeAnalysis;

namespace Acorn.Plugins.Management;

/// <summary>One load or unload of one plugin (or a delete of its saved state), shared by every caller who asked for it while it ran.</summary>
/// <remarks>
/// Each caller waits with its own token, and cancelling that token ends only that caller's wait. The work itself runs
/// under <see cref="Token"/>, which is cancelled only once every caller has given up: one client that disconnects never
/// fails the load another client is still waiting for, and a load that nobody waits for any more stops.
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001",
    Justification = "The token source has no timer and nobody asks for its wait handle, so it holds nothing to release; a caller that gives up late may still cancel it, which a dispose would race.")]
internal sealed class PluginTransition
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _abandoned = new();
    private readonly TaskCompletionSource<PluginInfo> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many callers still wait; the one who starts the transition is the first.</summary>
    private int _waiters = 1;

    public PluginTransition(bool isLoad)
    {
        IsLoad = isLoad;
        Settled = _outcome.Task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Whether this is a load (rather than an unload or a delete of the saved state).</summary>
    public bool IsLoad { get; }

    /// <summary>Cancelled when every caller has given up waiting.</summary>
    public CancellationToken Token => _abandoned.Token;

    /// <summary>Completes, without ever faulting, when the transition has ended.</summary>
    public Task Settled { get; }

    /// <summary>Adds a caller; <see langword="false"/> when every earlier caller has already given up, so the work is being cancelled.</summary>
    public bool TryJoin()
    {
        lock (_gate)
        {
            if (_waiters == 0)
            {
                return false;
            }

            _waiters++;
            return true;
        }
    }

    /// <summary>Waits for the outcome as one caller; cancelling <paramref name="cancellationToken"/> ends this wait only.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or the work was (every caller gave up).</exception>
    public async Task<PluginInfo> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_outcome.Task.IsCompleted)
        {
            Leave();
            throw;
        }
    }

    public void Complete(PluginInfo outcome) => _outcome.SetResult(outcome);

    public void Fail(Exception exception) => _outcome.SetException(exception);

    private void Leave()
    {
        lock (_gate)
        {
            if (--_waiters > 0)
            {
                return;
            }

            // Asynchronously: the token's callbacks belong to the work (plugin code among them) and must not run here, under the gate.
            // Whatever those callbacks throw is observed here, so that it is not reported as an unobserved task exception.
            _ = _abandoned.CancelAsync().ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
