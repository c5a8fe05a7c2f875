using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    private sealed class CreateOperation(ContextWrite write, int maxContexts) : WriteOperation(ContextChangeKind.Created)
    {
        public override async ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            if (grain.LiveAt(now) is { } existing)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.AlreadyExists, existing));
                return;
            }

            if (grain.RefuseContent(write) is { } reason)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.InvalidContent, null, Reason: reason));
                return;
            }

            var state = grain.State;
            var created = new ContextRecord
            {
                Id = grain.Id,
                Version = state.LastVersion + 1,
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = ExpiryAfter(now, write.TimeToLive, keep: null),
                DataJson = write.DataJson,
                Metadata = write.Metadata,
            };

            // The directory first: the limit is decided there, and an id it holds without a context is harmless.
            if (!await grain.Directory.TryAddAsync(grain.Id, created.ExpiresAt, maxContexts))
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.LimitExceeded, null));
                return;
            }

            state.Incarnation++;
            Write(grain, created);
        }
    }

    private sealed class UpdateOperation(ContextWrite write, long? expectedVersion) : WriteOperation(ContextChangeKind.Updated)
    {
        public override async ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            if (grain.Refuse(expectedVersion, now) is { } refused)
            {
                Refuse(refused);
                return;
            }

            if (grain.RefuseContent(write) is { } reason)
            {
                Refuse(new ContextWriteResult(ContextWriteOutcome.InvalidContent, null, Reason: reason));
                return;
            }

            var current = grain.LiveAt(now)!;
            var next = NextVersion(current, now, write.DataJson, write.Metadata, write.TimeToLive);
            await grain.NoteExpiryAsync(current, next);
            Write(grain, next);
        }
    }

    /// <summary>A delete or an expiry: removes the running state, ends its batch, and cleans up before it answers.</summary>
    private sealed class RemoveOperation(ContextChangeKind kind, long? expectedVersion) : WriteOperation(kind)
    {
        public override bool EndsBatch => Versions > 0;

        public override ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            var current = grain.State.Current;
            if (Kind == ContextChangeKind.Expired)
            {
                if (current is null || grain.LiveAt(now) is not null)
                {
                    Refuse(new ContextWriteResult(ContextWriteOutcome.NotFound, null));
                    return ValueTask.CompletedTask;
                }
            }
            else if (grain.Refuse(expectedVersion, now) is { } refused)
            {
                Refuse(refused);
                return ValueTask.CompletedTask;
            }

            Write(grain, null, answer: current);
            return ValueTask.CompletedTask;
        }

        public override async ValueTask AfterCommitAsync(ContextGrain grain)
        {
            if (Versions == 0)
            {
                return;
            }

            if (grain._committedPoints.Points.Count > 0)
            {
                await BestEffortAsync(() => grain.WriteRecoveryPointsAsync(new RecoveryPointLog
                {
                    LastId = grain._committedPoints.LastId,
                    Incarnation = grain.State.Incarnation,
                }));
            }

            await BestEffortAsync(() => grain.Directory.RemoveAsync(grain.Id));
        }
    }

    /// <summary>One caller's read-modify-writes: consecutive versions on the expected one, all or none.</summary>
    /// <remarks>
    /// A version conflict is answered at once, with the running state, instead of after the batch is persisted: the
    /// caller is a client's local turn, which plans its run again on that state (nobody outside sees the refusal), so its
    /// next run reaches the grain while this batch commits, ahead of the writes of whoever answered first. Should the
    /// batch fail, that run is refused again and planned on what storage holds.
    /// </remarks>
    private sealed class UpdateRunOperation(IReadOnlyList<ContextWrite> writes, long expectedVersion)
        : GrainOperation<ContextRunResult>(new ContextRunResult(ContextWriteOutcome.NotAttempted, []))
    {
        public override bool AnswersAtOnce => Result?.Outcome == ContextWriteOutcome.VersionConflict && PlanningFailure is null;

        public override async ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now)
        {
            if (grain.Refuse(expectedVersion, now) is { } refused)
            {
                Result = new ContextRunResult(refused.Outcome, refused.Record is { } current ? [current] : []);
                return;
            }

            for (var i = 0; i < writes.Count; i++)
            {
                if (grain.RefuseContent(writes[i]) is { } reason)
                {
                    Result = new ContextRunResult(ContextWriteOutcome.InvalidContent, [], RefusedIndex: i, Reason: reason);
                    return;
                }
            }

            var first = grain.LiveAt(now)!;
            var records = new ContextRecord[writes.Count];
            var previous = first;
            for (var i = 0; i < writes.Count; i++)
            {
                previous = records[i] = NextVersion(previous, now, writes[i].DataJson, writes[i].Metadata, writes[i].TimeToLive);
            }

            // Only the last expiry stays; the directory hears of it before anything is persisted.
            await grain.NoteExpiryAsync(first, previous);
            var firstChange = 0L;
            foreach (var record in records)
            {
                var change = grain.Apply(record);
                firstChange = firstChange == 0 ? change : firstChange;
            }

            Versions = records.Length;
            Result = new ContextRunResult(ContextWriteOutcome.Written, records, firstChange);
        }

        public override void AddChanges(List<ContextChangeEvent> changes)
        {
            if (Versions == 0 || PlanningFailure is not null)
            {
                return;
            }

            for (var i = 0; i < Result!.Records.Count; i++)
            {
                changes.Add(new ContextChangeEvent((int)ContextChangeKind.Updated, Result.FirstChange + i, Result.Records[i]));
            }
        }
    }
}
