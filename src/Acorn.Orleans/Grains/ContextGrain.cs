using Acorn.Contexts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Acorn.Orleans.Grains;

/// <summary>The grain behind <see cref="IContextGrain"/>: one activation per context, calls one at a time.</summary>
/// <param name="context">The persisted context state.</param>
/// <param name="recoveryPoints">The persisted recovery points.</param>
/// <param name="options">The silo's limits on content (<see cref="ContextOptions.MaxDataBytes"/>, <see cref="ContextOptions.MaxDataDepth"/>).</param>
/// <param name="time">The clock for timestamps and expiry.</param>
/// <param name="logger">Logs changes that could not be put on the change stream.</param>
public sealed partial class ContextGrain(
    [PersistentState("context", AcornOrleans.StorageName)] IPersistentState<ContextGrainState> context,
    [PersistentState("recovery-points", AcornOrleans.StorageName)] IPersistentState<RecoveryPointLog> recoveryPoints,
    IOptions<ContextOptions> options,
    TimeProvider time,
    ILogger<ContextGrain> logger) : Grain, IContextGrain
{
    private IAsyncStream<ContextChangeEvent>? _changes;

    private string Id => AcornOrleans.IdOf(this.GetPrimaryKeyString());

    private IContextDirectoryGrain Directory =>
        GrainFactory.GetGrain<IContextDirectoryGrain>(AcornOrleans.DirectoryKey(AcornOrleans.ScopeOf(this.GetPrimaryKeyString())));

    /// <summary>The current state unless it has expired: an expired context is invisible at once, before any sweep.</summary>
    private ContextRecord? Live => context.State.Current is { } current && !IsExpired(current) ? current : null;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Without the provider there is no cluster-wide feed; each manager still publishes its own writes.
        var provider = ServiceProvider.GetKeyedService<IStreamProvider>(AcornOrleans.StreamProviderName);
        var scope = AcornOrleans.DirectoryKey(AcornOrleans.ScopeOf(this.GetPrimaryKeyString()));
        _changes = provider?.GetStream<ContextChangeEvent>(StreamId.Create(AcornOrleans.ChangeStreamNamespace, scope));
        return Task.CompletedTask;
    }

    Task<ContextRecord?> IContextGrain.GetAsync() => Task.FromResult(Live);

    async Task<ContextWriteResult> IContextGrain.CreateAsync(ContextWrite write, int maxContexts)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Live is { } existing)
        {
            return new ContextWriteResult(ContextWriteOutcome.AlreadyExists, existing);
        }

        if (RefuseContent(write) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var created = new ContextRecord
        {
            Id = Id,
            Version = context.State.LastVersion + 1,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = ExpiryAfter(now, write.TimeToLive, keep: null),
            DataJson = write.DataJson,
            Metadata = write.Metadata,
        };

        // The directory first: the limit is decided there, and an id it holds without a context is harmless.
        if (!await Directory.TryAddAsync(Id, created.ExpiresAt, maxContexts))
        {
            return new ContextWriteResult(ContextWriteOutcome.LimitExceeded, null);
        }

        context.State.Incarnation++;
        try
        {
            return await CommitAsync(ContextChangeKind.Created, created, created);
        }
        catch
        {
            context.State.Incarnation--;
            throw;
        }
    }

    async Task<ContextWriteResult> IContextGrain.UpdateAsync(ContextWrite write, long? expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(write);
        if ((Refuse(expectedVersion) ?? RefuseContent(write)) is { } refused)
        {
            return refused;
        }

        var next = NextVersion(Live!, write.DataJson, write.Metadata, write.TimeToLive);
        if (next.ExpiresAt != Live!.ExpiresAt)
        {
            await Directory.TryAddAsync(Id, next.ExpiresAt, int.MaxValue);
        }

        return await CommitAsync(ContextChangeKind.Updated, next, null);
    }

    async Task<ContextWriteResult> IContextGrain.DeleteAsync(long? expectedVersion)
    {
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        return await RemoveAsync(ContextChangeKind.Deleted);
    }

    async Task<ContextWriteResult> IContextGrain.ExpireAsync() =>
        context.State.Current is { } current && IsExpired(current)
            ? await RemoveAsync(ContextChangeKind.Expired)
            : new ContextWriteResult(ContextWriteOutcome.NotFound, null);

    async Task IContextGrain.ForgetIfAbsentAsync()
    {
        if (context.State.Current is null)
        {
            await Directory.RemoveAsync(Id);
        }
    }

    private bool IsExpired(ContextRecord record) => record.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow();

    private ContextWriteResult? Refuse(long? expectedVersion) => Live switch
    {
        null => new ContextWriteResult(ContextWriteOutcome.NotFound, null),
        { } current when expectedVersion is { } expected && expected != current.Version =>
            new ContextWriteResult(ContextWriteOutcome.VersionConflict, current),
        _ => null,
    };

    /// <summary>The silo's own check of the content: clients check with their options, the silo enforces its limits.</summary>
    private ContextWriteResult? RefuseContent(ContextWrite write)
    {
        try
        {
            ContextContentRules.ThrowIfInvalid(Id, ContextContent.Parse(write.DataJson, write.Metadata), options.Value);
            return null;
        }
        catch (Exception ex) when (ex is InvalidContextDataException or System.Text.Json.JsonException)
        {
            return new ContextWriteResult(
                ContextWriteOutcome.InvalidContent, null, Reason: ex is InvalidContextDataException invalid ? invalid.Reason : ex.Message);
        }
    }

    private ContextRecord NextVersion(
        ContextRecord current, string dataJson, IReadOnlyDictionary<string, string> metadata, TimeSpan? timeToLive)
    {
        var now = time.GetUtcNow();
        return current with
        {
            Version = current.Version + 1,
            UpdatedAt = now,
            ExpiresAt = ExpiryAfter(now, timeToLive, keep: current.ExpiresAt),
            DataJson = dataJson,
            Metadata = metadata,
        };
    }

    private static DateTimeOffset? ExpiryAfter(DateTimeOffset now, TimeSpan? timeToLive, DateTimeOffset? keep) =>
        timeToLive switch
        {
            null => keep,
            { } ttl when ttl == Timeout.InfiniteTimeSpan => null,
            { } ttl => now + ttl,
        };

    /// <summary>Deletes the current state (expired or not), its recovery points and its directory entry.</summary>
    private async Task<ContextWriteResult> RemoveAsync(ContextChangeKind kind)
    {
        var result = await CommitAsync(kind, null, context.State.Current);
        await BestEffortAsync(() => recoveryPoints.State.Points.Count > 0 ? WriteRecoveryPointsAsync([]) : Task.CompletedTask);
        await BestEffortAsync(() => Directory.RemoveAsync(Id));
        return result;
    }

    // The removal is persisted and must be acknowledged as such. Snapshots left behind belong to an incarnation that is
    // never shown again; a directory entry left behind is removed when listing meets it (ForgetIfAbsentAsync).
    private static async Task BestEffortAsync(Func<Task> cleanup)
    {
        try
        {
            await cleanup();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }

    /// <summary>Persists <paramref name="next"/> as the current state and answers only once the provider has stored it.</summary>
    /// <param name="kind">What the write is, for the change stream.</param>
    /// <param name="next">The new current state; <see langword="null"/> deletes.</param>
    /// <param name="answer">The record to answer with when it is not <paramref name="next"/> (the deleted state).</param>
    private async Task<ContextWriteResult> CommitAsync(ContextChangeKind kind, ContextRecord? next, ContextRecord? answer)
    {
        var state = context.State;
        var previous = state.Current;
        var previousLastVersion = state.LastVersion;
        state.Current = next;
        state.Changes++;
        state.LastVersion = Math.Max(state.LastVersion, next?.Version ?? previous?.Version ?? 0);
        try
        {
            await context.WriteStateAsync();
        }
        catch
        {
            // The outcome in storage is unknown (a timeout may hide a commit; an ETag conflict means another
            // activation wrote). Nothing in memory may claim either way: restore, then leave so that the next
            // activation reads what storage really holds.
            state.Current = previous;
            state.Changes--;
            state.LastVersion = previousLastVersion;
            DeactivateOnIdle();
            throw;
        }

        var result = new ContextWriteResult(ContextWriteOutcome.Written, next ?? answer, state.Changes);
        await PublishAsync(kind, result);
        return result;
    }

    /// <summary>Puts a persisted write on the scope's change stream, inside this turn so that the stream keeps the context's order.</summary>
    private async Task PublishAsync(ContextChangeKind kind, ContextWriteResult result)
    {
        if (_changes is null)
        {
            return;
        }

        try
        {
            await _changes.OnNextAsync(new ContextChangeEvent((int)kind, result.Change, result.Record!));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The write is persisted and is acknowledged; the feed is best effort (subscribers see a gap in versions).
            LogPublishFailed(logger, this.GetPrimaryKeyString(), ex);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The change of context grain {Key} could not be published on the change stream.")]
    private static partial void LogPublishFailed(ILogger logger, string key, Exception exception);
}
