using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    async Task<RecoveryPointRecord?> IContextGrain.CreateRecoveryPointAsync(int keep)
    {
        if (Live is not { } current)
        {
            return null;
        }

        var point = new RecoveryPointRecord(recoveryPoints.State.LastId + 1, current, time.GetUtcNow());
        await WriteRecoveryPointsAsync([point, .. OfCurrentContext().Take(Math.Max(1, keep) - 1)]);
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

        var restored = NextVersion(Live!, point.Context.DataJson, point.Context.Metadata, timeToLive: null);
        return await CommitAsync(ContextChangeKind.Restored, restored, null);
    }

    /// <summary>The recovery points of the current incarnation of the context (a deleted and re-created context starts with none).</summary>
    private IEnumerable<RecoveryPointRecord> OfCurrentContext() =>
        Live is not null && recoveryPoints.State.Incarnation == context.State.Incarnation ? recoveryPoints.State.Points : [];

    private async Task WriteRecoveryPointsAsync(IReadOnlyList<RecoveryPointRecord> points)
    {
        var log = recoveryPoints.State;
        var (previousPoints, previousLastId, previousIncarnation) = (log.Points, log.LastId, log.Incarnation);
        log.Points = points;
        log.LastId = Math.Max(log.LastId, points.Count > 0 ? points[0].Id : 0);
        log.Incarnation = context.State.Incarnation;
        try
        {
            await recoveryPoints.WriteStateAsync();
        }
        catch
        {
            (log.Points, log.LastId, log.Incarnation) = (previousPoints, previousLastId, previousIncarnation);
            DeactivateOnIdle();
            throw;
        }
    }
}
