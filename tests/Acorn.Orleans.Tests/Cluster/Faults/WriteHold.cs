namespace Acorn.Orleans.Tests.Cluster.Faults;

/// <summary>A storage write held before it reaches storage, until the test releases it.</summary>
public sealed class WriteHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held write has arrived (a batch is in flight).</summary>
    public Task Reached => _reached.Task;

    /// <summary>How many versions the held write persists (its batch), once <see cref="Reached"/>.</summary>
    public long Versions { get; private set; }

    /// <summary>Lets the held write go on to storage.</summary>
    public void Release() => _released.TrySetResult();

    internal Task ReachAsync(long versions)
    {
        Versions = versions;
        _reached.TrySetResult();
        return _released.Task;
    }
}
