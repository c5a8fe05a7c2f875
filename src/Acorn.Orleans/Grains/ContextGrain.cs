using Acorn.Contexts;
using Microsoft.Extensions.Options;

namespace Acorn.Orleans.Grains;

/// <summary>The grain behind <see cref="IContextGrain"/>: one activation per context, calls one at a time.</summary>
/// <param name="context">The persisted context state.</param>
/// <param name="recoveryPoints">The persisted recovery points.</param>
/// <param name="options">The silo's limits on content (<see cref="ContextOptions.MaxDataBytes"/>, <see cref="ContextOptions.MaxDataDepth"/>).</param>
/// <param name="time">The clock for timestamps and expiry.</param>
public sealed partial class ContextGrain(
    [PersistentState("context", AcornOrleans.StorageName)] IPersistentState<ContextGrainState> context,
    [PersistentState("recovery-points", AcornOrleans.StorageName)] IPersistentState<RecoveryPointLog> recoveryPoints,
    IOptions<ContextOptions> options,
    TimeProvider time) : Grain, IContextGrain
{
    private string Id => AcornOrleans.IdOf(this.GetPrimaryKeyString());

    private IContextDirectoryGrain Directory =>
        GrainFactory.GetGrain<IContextDirectoryGrain>(AcornOrleans.DirectoryKey(AcornOrleans.ScopeOf(this.GetPrimaryKeyString())));

    /// <summary>The current state unless it has expired: an expired context is invisible at once, before any sweep.</summary>
    private ContextRecord? Live => context.State.Current is { } current && !IsExpired(current) ? current : null;

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
            Version = 1,
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
            return await CommitAsync(created, created);
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

        return await CommitAsync(next, null);
    }

    async Task<ContextWriteResult> IContextGrain.DeleteAsync(long? expectedVersion)
    {
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        return await RemoveAsync();
    }

    async Task<ContextWriteResult> IContextGrain.ExpireAsync() =>
        context.State.Current is { } current && IsExpired(current)
            ? await RemoveAsync()
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
    private async Task<ContextWriteResult> RemoveAsync()
    {
        var result = await CommitAsync(null, context.State.Current);
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
    /// <param name="next">The new current state; <see langword="null"/> deletes.</param>
    /// <param name="answer">The record to answer with when it is not <paramref name="next"/> (the deleted state).</param>
    private async Task<ContextWriteResult> CommitAsync(ContextRecord? next, ContextRecord? answer)
    {
        var state = context.State;
        var previous = state.Current;
        state.Current = next;
        state.Changes++;
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
            DeactivateOnIdle();
            throw;
        }

        return new ContextWriteResult(ContextWriteOutcome.Written, next ?? answer, state.Changes);
    }
}
