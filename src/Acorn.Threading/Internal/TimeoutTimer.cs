namespace Acorn.Threading.Internal;

/// <summary>One timeout of one wait.</summary>
/// <remarks>
/// A fresh object per timed wait that had to queue: its identity tells a late callback from an earlier
/// wait of a pooled node apart from the current one, which a reused timer could not.
/// </remarks>
internal sealed class TimeoutTimer
{
    private readonly WaitNode _node;
    private ITimer? _timer;

    internal TimeoutTimer(WaitNode node) => _node = node;

    internal void Start(TimeProvider time, TimeSpan dueTime) =>
        _timer = time.CreateTimer(static s => ((TimeoutTimer)s!).Fire(), this, dueTime, System.Threading.Timeout.InfiniteTimeSpan);

    internal void Stop() => _timer?.Dispose();

    private void Fire() => _node.Owner.TimeOut(_node, this);
}
