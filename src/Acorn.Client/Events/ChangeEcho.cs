namespace Acorn.Client.Events;

/// <summary>
/// One write waiting for one event stream to deliver its change: registered before the request is sent, so the change
/// cannot arrive unnoticed however the answer and the event race.
/// </summary>
/// <remarks>Every member runs under the owning <see cref="ChangeStream"/>'s lock.</remarks>
internal sealed class ChangeEcho(string contextId)
{
    private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _seen = -1;
    private long _target = long.MaxValue;

    public string ContextId { get; } = contextId;

    public Task Delivered => _delivered.Task;

    /// <summary>The stream delivered a change of the context at <paramref name="order"/> (see <see cref="ChangeOrder"/>).</summary>
    public void Saw(long order)
    {
        _seen = Math.Max(_seen, order);
        if (_seen >= _target)
        {
            _delivered.TrySetResult();
        }
    }

    /// <summary>The write was acknowledged at <paramref name="order"/>: wait until the stream has delivered it.</summary>
    public void Expect(long order)
    {
        _target = order;
        if (_seen >= _target)
        {
            _delivered.TrySetResult();
        }
    }

    /// <summary>Stop waiting: the stream reset, reconnected or ended, or the write failed.</summary>
    public void Release() => _delivered.TrySetResult();
}
