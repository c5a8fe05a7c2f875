using Acorn.Contexts;
using Microsoft.Extensions.Options;

namespace Acorn.Orleans.Grains;

/// <summary>The grain behind <see cref="IContextGrain"/>: one activation per context id, calls one at a time.</summary>
/// <param name="context">The persisted context state.</param>
/// <param name="recoveryPoints">The persisted recovery points.</param>
/// <param name="options">Limits: <see cref="ContextOptions.MaxRecoveryPointsPerContext"/>, <see cref="ContextOptions.DefaultTimeToLive"/>.</param>
/// <param name="time">The clock for timestamps and expiry.</param>
public sealed class ContextGrain(
    [PersistentState("context", AcornOrleans.StorageName)] IPersistentState<ContextGrainState> context,
    [PersistentState("recovery-points", AcornOrleans.StorageName)] IPersistentState<RecoveryPointLog> recoveryPoints,
    IOptions<ContextOptions> options,
    TimeProvider time) : Grain, IContextGrain
{
    private ContextRecord? Current => context.State.Current;

    Task<ContextRecord?> IContextGrain.GetAsync() => Task.FromResult(Current);

    async Task<ContextWriteResult> IContextGrain.CreateAsync(ContextWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Current is { } existing)
        {
            return new ContextWriteResult(ContextWriteOutcome.AlreadyExists, existing);
        }

        var now = time.GetUtcNow();
        var created = new ContextRecord
        {
            Id = this.GetPrimaryKeyString(),
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = ExpiryAfter(now, write.TimeToLive ?? options.Value.DefaultTimeToLive, keep: null),
            DataJson = write.DataJson,
            Metadata = write.Metadata,
        };
        return await CommitAsync(created, created);
    }

    async Task<ContextWriteResult> IContextGrain.UpdateAsync(ContextWrite write, long? expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        return await CommitAsync(NextVersion(Current!, write.DataJson, write.Metadata, write.TimeToLive), null);
    }

    async Task<ContextWriteResult> IContextGrain.DeleteAsync(long? expectedVersion)
    {
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        var deleted = Current!;
        var result = await CommitAsync(null, deleted);
        if (recoveryPoints.State.Points.Count > 0)
        {
            try
            {
                await WriteRecoveryPointsAsync([]);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The delete is persisted and must be acknowledged as such. Snapshots left behind belong to a
                // context incarnation that no longer exists, and OfCurrentContext never shows them again.
            }
        }

        return result;
    }

    async Task<RecoveryPointRecord?> IContextGrain.CreateRecoveryPointAsync()
    {
        if (Current is not { } current)
        {
            return null;
        }

        var log = recoveryPoints.State;
        var point = new RecoveryPointRecord(log.LastId + 1, current, time.GetUtcNow());
        var max = Math.Max(1, options.Value.MaxRecoveryPointsPerContext);
        await WriteRecoveryPointsAsync([point, .. OfCurrentContext().Take(max - 1)]);
        return point;
    }

    Task<IReadOnlyList<RecoveryPointRecord>> IContextGrain.ListRecoveryPointsAsync() =>
        Task.FromResult<IReadOnlyList<RecoveryPointRecord>>([.. OfCurrentContext()]);

    async Task<ContextWriteResult> IContextGrain.RestoreAsync(long recoveryPointId, long? expectedVersion)
    {
        if (Refuse(expectedVersion) is { } refused)
        {
            return refused;
        }

        if (OfCurrentContext().FirstOrDefault(p => p.Id == recoveryPointId) is not { } point)
        {
            return new ContextWriteResult(ContextWriteOutcome.RecoveryPointNotFound, null);
        }

        var restored = NextVersion(Current!, point.Context.DataJson, point.Context.Metadata, timeToLive: null);
        return await CommitAsync(restored, null);
    }

    /// <summary>The recovery points of the current incarnation of the context (a deleted and re-created context starts with none).</summary>
    private IEnumerable<RecoveryPointRecord> OfCurrentContext() => Current is { } current
        ? recoveryPoints.State.Points.Where(p => p.Context.CreatedAt == current.CreatedAt)
        : [];

    private ContextWriteResult? Refuse(long? expectedVersion) => Current switch
    {
        null => new ContextWriteResult(ContextWriteOutcome.NotFound, null),
        { } current when expectedVersion is { } expected && expected != current.Version =>
            new ContextWriteResult(ContextWriteOutcome.VersionConflict, current),
        _ => null,
    };

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

    /// <summary>Persists <paramref name="next"/> as the current state and answers only once the provider has stored it.</summary>
    /// <param name="next">The new current state; <see langword="null"/> deletes.</param>
    /// <param name="answer">The record to answer with when it is not <paramref name="next"/> (the deleted state).</param>
    private async Task<ContextWriteResult> CommitAsync(ContextRecord? next, ContextRecord? answer)
    {
        var previous = context.State.Current;
        context.State.Current = next;
        try
        {
            await context.WriteStateAsync();
        }
        catch
        {
            // The outcome in storage is unknown (a timeout may hide a commit; an ETag conflict means another
            // activation wrote). Nothing in memory may claim either way: restore, then leave so that the next
            // activation reads what storage really holds.
            context.State.Current = previous;
            DeactivateOnIdle();
            throw;
        }

        return new ContextWriteResult(ContextWriteOutcome.Written, next ?? answer);
    }

    private async Task WriteRecoveryPointsAsync(IReadOnlyList<RecoveryPointRecord> points)
    {
        var log = recoveryPoints.State;
        var (previousPoints, previousLastId) = (log.Points, log.LastId);
        log.Points = points;
        log.LastId = Math.Max(log.LastId, points.Count > 0 ? points[0].Id : 0);
        try
        {
            await recoveryPoints.WriteStateAsync();
        }
        catch
        {
            (log.Points, log.LastId) = (previousPoints, previousLastId);
            DeactivateOnIdle();
            throw;
        }
    }
}
