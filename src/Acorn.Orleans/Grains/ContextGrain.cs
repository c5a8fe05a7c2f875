using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Streams;

namespace Acorn.Orleans.Grains;

/// <summary>
/// The grain behind <see cref="IContextGrain"/>: one activation per context; its writes queue and are persisted in
/// batches, one storage write each, in arrival order.
/// </summary>
/// <remarks>
/// <para>
/// Reentrant, so that calls arrive while a storage write is in flight: a write call only queues its operation (see
/// ContextGrain.Queue.cs), and a read answers from <see cref="_committed"/>, the last state storage acknowledged. Orleans
/// runs one piece of the activation at a time, so the queue, the running state and the committed state need no lock.
/// </para>
/// <para>
/// <c>context.State</c> is the running state: the operations of a batch are planned on it, one after the other, and it
/// is what the batch's storage write persists. Nothing changes it while that write is in flight (the next batch is
/// planned after it), and a failed write restores what was there before the batch.
/// </para>
/// </remarks>
/// <param name="context">The persisted context state.</param>
/// <param name="recoveryPoints">The persisted recovery points.</param>
/// <param name="options">The silo's limits on content (<see cref="ContextOptions.MaxDataBytes"/>, <see cref="ContextOptions.MaxDataDepth"/>).</param>
/// <param name="time">The clock for timestamps and expiry.</param>
/// <param name="logger">Logs changes that could not be put on the change stream.</param>
[Reentrant]
[PreferLocalPlacement]
public sealed partial class ContextGrain(
    [PersistentState("context", AcornOrleans.StorageName)] IPersistentState<ContextGrainState> context,
    [PersistentState("recovery-points", AcornOrleans.StorageName)] IPersistentState<RecoveryPointLog> recoveryPoints,
    IOptions<ContextOptions> options,
    TimeProvider time,
    ILogger<ContextGrain> logger) : Grain, IContextGrain
{
    private IAsyncStream<ContextChangeEvent>? _changes;

    // The last state storage acknowledged, for reads: the running state may hold versions whose write is in flight.
    private ContextRecord? _committed;
    private long _committedIncarnation;
    private RecoveryPointLog _committedPoints = new();

    private string Id => AcornOrleans.IdOf(this.GetPrimaryKeyString());

    /// <summary>The running state (see the remarks), for the operations planned on it.</summary>
    private ContextGrainState State => context.State;

    private ContextOptions SiloLimits => options.Value;

    private DateTimeOffset Now => time.GetUtcNow();

    private IContextDirectoryGrain Directory =>
        GrainFactory.GetGrain<IContextDirectoryGrain>(AcornOrleans.DirectoryKey(AcornOrleans.ScopeOf(this.GetPrimaryKeyString())));

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Without the provider there is no cluster-wide feed; each manager still publishes its own writes.
        var provider = ServiceProvider.GetKeyedService<IStreamProvider>(AcornOrleans.StreamProviderName);
        var scope = AcornOrleans.DirectoryKey(AcornOrleans.ScopeOf(this.GetPrimaryKeyString()));
        _changes = provider?.GetStream<ContextChangeEvent>(StreamId.Create(AcornOrleans.ChangeStreamNamespace, scope));
        _committed = context.State.Current;
        _committedIncarnation = context.State.Incarnation;
        _committedPoints = recoveryPoints.State;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Changes already acknowledged are put on the stream before the activation goes, so the next one publishes after them.</remarks>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await _publishing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time to deactivate: the feed is best effort.
        }
    }

    Task<ContextRecord?> IContextGrain.GetAsync() => Task.FromResult(IsExpired(_committed) ? null : _committed);

    Task<ContextWriteResult> IContextGrain.CreateAsync(ContextWrite write, int maxContexts)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Enqueue(new CreateOperation(write, maxContexts));
    }

    Task<ContextWriteResult> IContextGrain.UpdateAsync(ContextWrite write, long? expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Enqueue(new UpdateOperation(write, expectedVersion));
    }

    Task<ContextRunResult> IContextGrain.UpdateRunAsync(IReadOnlyList<ContextWrite> writes, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentOutOfRangeException.ThrowIfZero(writes.Count);
        return Enqueue(new UpdateRunOperation(writes, expectedVersion));
    }

    Task<ContextWriteResult> IContextGrain.PatchAsync(ContextPatchWrite patch, long? expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return Enqueue(new PatchOperation(patch, expectedVersion));
    }

    Task<ContextWriteResult> IContextGrain.DeleteAsync(long? expectedVersion) =>
        Enqueue(new RemoveOperation(ContextChangeKind.Deleted, expectedVersion));

    Task<ContextWriteResult> IContextGrain.ExpireAsync() => Enqueue(new RemoveOperation(ContextChangeKind.Expired, expectedVersion: null));

    Task IContextGrain.ForgetIfAbsentAsync() => Enqueue(new ForgetOperation());

    private bool IsExpired(ContextRecord? record) => record?.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow();

    [LoggerMessage(1, LogLevel.Warning, "The changes of context grain {Key} could not be published on the change stream.")]
    private static partial void LogPublishFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Context grain {Key} failed to persist a batch of {Versions} versions; it answers its callers with the failure and deactivates.")]
    private static partial void LogBatchFailed(ILogger logger, string key, int versions, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "The write queue of context grain {Key} stopped on an unexpected error; the grain deactivates.")]
    private static partial void LogQueueFailed(ILogger logger, string key, Exception exception);
}
