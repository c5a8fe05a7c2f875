namespace Acorn.Contexts;

/// <summary>Limits and defaults of a <see cref="ContextManager"/>.</summary>
public sealed class ContextOptions
{
    /// <summary>How many contexts may exist at once. Default 100,000.</summary>
    public int MaxContexts { get; set; } = 100_000;

    /// <summary>The largest a context's data plus metadata may be, in UTF-8 bytes. Default 1 MiB.</summary>
    public int MaxDataBytes { get; set; } = 1024 * 1024;

    /// <summary>The deepest a context's data may nest (objects and arrays). Default 64.</summary>
    public int MaxDataDepth { get; set; } = 64;

    /// <summary>How long a new context lives when its create does not say; <see langword="null"/> (the default): forever.</summary>
    public TimeSpan? DefaultTimeToLive { get; set; }

    /// <summary>How many recovery points each context keeps; older ones are pruned. Default 10.</summary>
    public int MaxRecoveryPointsPerContext { get; set; } = 10;

    /// <summary>How often the expiry sweeper runs; <see cref="TimeSpan.Zero"/> turns it off. Default 1 minute.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many changes each change-feed subscriber may have unread before the oldest are dropped. Default 1,024.
    /// </summary>
    public int ChangeFeedCapacity { get; set; } = 1024;

    /// <summary>
    /// An update function (<see cref="IContextManager.UpdateAsync(string, Func{ContextState, ContextContent}, CancellationToken)"/>)
    /// that runs at least this long is logged as a warning with its context id: it runs in the context's turn, so every
    /// write to that context waits for it. <see cref="Timeout.InfiniteTimeSpan"/> logs none. Default 100 ms.
    /// </summary>
    public TimeSpan SlowUpdateFunctionThreshold { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns a copy, so that a running manager keeps its limits when the caller changes the original.</summary>
    /// <returns>The copy.</returns>
    public ContextOptions Clone() => (ContextOptions)MemberwiseClone();
}
