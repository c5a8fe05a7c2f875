using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    Task<RecoveryPointResult> IContextGrain.CreateRecoveryPointAsync(int keep) => Enqueue(new RecoveryPointOperation(keep));

    Task<IReadOnlyList<RecoveryPointRecord>> IContextGrain.ListRecoveryPointsAsync() =>
        Task.FromResult<IReadOnlyList<RecoveryPointRecord>>(
            _committed is not null && !IsExpired(_committed) && _committedPoints.Incarnation == _committedIncarnation ? _committedPoints.Points : []);

    Task<ContextWriteResult> IContextGrain.RestoreAsync(long recoveryPointId, long? expectedVersion) =>
        Enqueue(new RestoreOperation(recoveryPointId, expectedVersion));

    /// <summary>
    /// Persists <paramref name="log"/> as the recovery points (their own storage record). On failure the log in memory
    /// stays what storage last acknowledged and the activation leaves, since the record's ETag is no longer known.
    /// </summary>
    private async Task WriteRecoveryPointsAsync(RecoveryPointLog log)
    {
        var previous = recoveryPoints.State;
        recoveryPoints.State = log;
        try
        {
            await recoveryPoints.WriteStateAsync();
        }
        catch
        {
            recoveryPoints.State = previous;
            Leave();
            throw;
        }

        _committedPoints = log;
    }

    /// <summary>A recovery point: runs alone, so it is taken of committed state and its write joins no batch.</summary>
    private sealed class RecoveryPointOperation(int keep) : GrainOperation<RecoveryPointResult>(new RecoveryPointResult(ContextWriteOutcome.NotAttempted, null))
    {
        public override bool RunsAlone => true;

        public override async Task RunAloneAsync(ContextGrain grain)
        {
            var now = grain.Now;
            if (grain.LiveAt(now) is not { } current)
            {
                Answer(new RecoveryPointResult(ContextWriteOutcome.NotFound, null));
                return;
            }

            var log = grain._committedPoints;
            var incarnation = grain.State.Incarnation;
            var point = new RecoveryPointRecord(log.LastId + 1, current, now);
            IEnumerable<RecoveryPointRecord> kept = log.Incarnation == incarnation ? log.Points : [];
            try
            {
                await grain.WriteRecoveryPointsAsync(new RecoveryPointLog
                {
                    LastId = point.Id,
                    Points = [point, .. kept.Take(Math.Max(1, keep) - 1)],
                    Incarnation = incarnation,
                });
            }
            catch (Exception ex)
            {
                Fail(ex);
                return;
            }

            Answer(new RecoveryPointResult(ContextWriteOutcome.Written, point));
        }
    }

    private sealed class RestoreOperation(long recoveryPointId, long? expectedVersion) : WriteOperation(ContextChangeKind.Restored)
    {
        public override ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            if (grain.Refuse(expectedVersion, now) is { } refused)
            {
                Refuse(refused);
                return ValueTask.CompletedTask;
            }

            // Recovery points are written alone, so the log here is the committed one.
            var log = grain._committedPoints;
            var point = log.Incarnation == grain.State.Incarnation ? log.Points.FirstOrDefault(p => p.Id == recoveryPointId) : null;
            if (point is null)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.RecoveryPointNotFound, null));
                return ValueTask.CompletedTask;
            }

            Write(grain, NextVersion(grain.LiveAt(now)!, now, point.Context.DataJson, point.Context.Metadata, timeToLive: null));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Removes a directory entry left by a failed create; runs alone so that no create in flight loses its entry.</summary>
    private sealed class ForgetOperation() : GrainOperation<bool>(false)
    {
        public override bool RunsAlone => true;

        public override async Task RunAloneAsync(ContextGrain grain)
        {
            try
            {
                if (grain.State.Current is null)
                {
                    await grain.Directory.RemoveAsync(grain.Id);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Fail(ex);
                return;
            }

            Answer(true);
        }
    }
}
