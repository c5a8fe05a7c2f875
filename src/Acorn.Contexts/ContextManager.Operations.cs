using Acorn.Contexts.Internal;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>A create: the context must not exist; its first version is above every version the id ever had.</summary>
    private sealed class CreateOperation(string id, byte[] data, IReadOnlyDictionary<string, string> metadata, TimeSpan? timeToLive)
        : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            if (head is not null)
            {
                throw new ContextAlreadyExistsException(Id);
            }

            var expiresAt = ExpiryAfter(Id, now, timeToLive ?? manager._options.DefaultTimeToLive);
            manager.ReserveSlot(Id);
            var state = new ContextState(Id, manager.NextCreateVersion(), now, now, expiresAt, data, metadata);
            Planned(new PutContextWrite(state, expectedVersion: 0), state, ContextChangeKind.Created, state);
            ReservesSlot = true;
        }
    }

    /// <summary>A replacement of the content, unconditional or compare-and-set.</summary>
    private sealed class ReplaceOperation(
        string id, byte[] data, IReadOnlyDictionary<string, string> metadata, TimeSpan? timeToLive, long? expectedVersion)
        : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion);
            Updated(NextState(current, now, data, metadata, timeToLive));
        }
    }

    /// <summary>A read-modify-write: the caller's function computes the new content from the running head, in the turn.</summary>
    private sealed class ReadModifyWriteOperation(string id, Func<ContextState, ContextContent> update) : TurnOperation(id)
    {
        private static readonly AsyncLocal<ReadModifyWriteOperation?> Running = new();

        // Read from other threads (a callback checking whether this function still runs).
        private volatile bool _evaluating;

        public ContextManager? Manager { get; private set; }

        /// <summary>The update function running on this flow of execution, if it is still running.</summary>
        public static ReadModifyWriteOperation? Current => Running.Value is { _evaluating: true } running ? running : null;

        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion: null);
            var content = Evaluate(manager, current);
            // The next update function reads this state's Data: it keeps the document its content was parsed into, if any.
            var (data, metadata, parsed) = ContextContentValidator.Validate(Id, content, manager._options);
            Updated(NextState(current, now, data, metadata, content.TimeToLive, parsed));
        }

        private ContextContent Evaluate(ContextManager manager, ContextState current)
        {
            Manager = manager;

            // The coarse tick count costs a fraction of a precise timestamp, and the threshold is meant in tens of ms.
            var started = Environment.TickCount64;

            // Not restored afterwards (each set costs a new execution context): every evaluation runs inside the
            // combiner's async method, whose return restores its caller's context, and a marker left behind in the
            // combiner's own flow refuses nothing once _evaluating is false. A nested combiner (this function writing
            // to another context) restores this marker the same way when it returns.
            Running.Value = this;
            _evaluating = true;
            try
            {
                return update(current) ?? throw new InvalidOperationException($"The update function of context '{Id}' returned null.");
            }
            finally
            {
                _evaluating = false;
                manager.ObserveUpdateFunction(Id, TimeSpan.FromMilliseconds(Environment.TickCount64 - started));
            }
        }
    }

    /// <summary>A delete, unconditional or compare-and-set.</summary>
    private sealed class DeleteOperation(string id, long? expectedVersion) : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion);
            manager.RaiseDeletedVersion(current.Version);
            Planned(new DeleteContextWrite(Id, current.Version), null, ContextChangeKind.Deleted, current);
        }
    }

    /// <summary>Removes the context if it has expired (a sweep, or a write that found its context expired); else nothing.</summary>
    private sealed class ExpireOperation(string id) : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            if (head is not null && head.IsExpiredAt(now))
            {
                manager.RaiseDeletedVersion(head.Version);
                Planned(new DeleteContextWrite(Id, head.Version), null, ContextChangeKind.Expired, head);
            }
        }
    }

    /// <summary>
    /// A restore to a recovery point read before the turn; the store applies it only if that point still exists (a
    /// delete in between removes it).
    /// </summary>
    private sealed class RestoreOperation(string id, long recoveryPointId, RecoveryPoint? point, long? expectedVersion) : TurnOperation(id)
    {
        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion);
            if (point is null)
            {
                throw new RecoveryPointNotFoundException(Id, recoveryPointId);
            }

            var restored = NextState(current, now, point.State.SharedUtf8Data, point.State.Metadata, timeToLive: null);
            Planned(new RestoreContextWrite(restored, point.Id), restored, ContextChangeKind.Restored, restored);
        }
    }

    /// <summary>Takes a recovery point of the committed state: a turn of its own, once no write is in flight.</summary>
    private sealed class RecoveryPointOperation(string id) : TurnOperation(id)
    {
        public RecoveryPoint? Point { get; private set; }

        public override bool NeedsCommittedHead => true;

        public override void Plan(ContextManager manager, ContextState? head, DateTimeOffset now)
        {
            var current = Existing(head, expectedVersion: null);

            // Taken in the turn, so one context's recovery point ids grow in the order the store receives them.
            Point = new RecoveryPoint(Interlocked.Increment(ref manager._lastRecoveryPointId), current, now);
            Write = new AddRecoveryPointWrite(Point, manager._options.MaxRecoveryPointsPerContext);
            Result = current;
        }
    }
}
