using System.Threading.Tasks.Sources;

namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>
    /// One write waiting for, or taking part in, its context's turn: what it wants done (its <see cref="Plan"/>), what the
    /// turn planned for it, and its caller's completion.
    /// </summary>
    /// <remarks>
    /// Fields marked "gate" are read and written under the turn's gate; fields marked "combiner" only by the turn's
    /// combiner, which plans one run of operations at a time. An operation is awaited exactly once, by its caller.
    /// </remarks>
    private abstract class TurnOperation(string id) : IValueTaskSource<ContextState?>, IThreadPoolWorkItem
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;

        // The operation whose caller is queueing it on this thread right now (TakeTurnAsync): that caller has not
        // received its task yet, so nothing awaits it, and its outcome can be set in place.
        [ThreadStatic]
        private static TurnOperation? t_queueing;

        // Continuations run where the outcome is set, which is never a turn's own thread: Tell hands every other
        // outcome to the thread pool's global queue, where idle workers find it without searching each other's queues.
        private ManualResetValueTaskSourceCore<ContextState?> _core = new() { RunContinuationsAsynchronously = false };
        private CancellationTokenRegistration _cancellation;
        private int _state;
        private bool _withdrawable;
        private Exception? _failure;

        public string Id { get; } = id;

        /// <summary>
        /// Gate: the next operation of the chain the operation is in: waiting, in flight, set aside after a failure, or
        /// about to be told its outcome.
        /// </summary>
        public TurnOperation? Next;

        /// <summary>Combiner, then gate: the planned write, or <see langword="null"/> when the plan needs none.</summary>
        public ContextWrite? Write;

        /// <summary>Combiner, then gate: the context's state once <see cref="Write"/> is durable.</summary>
        public ContextState? NewHead;

        /// <summary>Combiner, then gate: the change to publish once <see cref="Write"/> is durable.</summary>
        public ContextChangeKind Kind;

        /// <summary>Combiner, then gate: what the caller gets when the operation succeeds.</summary>
        public ContextState? Result;

        /// <summary>Combiner, then gate: the refusal (or the update function's own exception) the plan ended in.</summary>
        public Exception? Refusal;

        /// <summary>Combiner, then gate: the plan took a slot of <see cref="ContextOptions.MaxContexts"/>.</summary>
        public bool ReservesSlot;

        /// <summary>Gate: completes when <see cref="Write"/> is durable; set before the operation joins the writes in flight.</summary>
        public Task? Durable;

        /// <summary>When the operation was queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), while the turn wait is measured; else 0.</summary>
        public long QueuedAt;

        /// <summary>Gate: how often the store refused this operation's write as stale while nothing before it had failed.</summary>
        public int Divergences;

        /// <summary>
        /// The operation must be planned on committed state, with no write in flight: it is a turn of its own (a recovery
        /// point captures a state that is durable, never one still in flight).
        /// </summary>
        public virtual bool NeedsCommittedHead => false;

        /// <summary>
        /// Combiner: decides the operation on <paramref name="head"/> (the context after every write planned before it;
        /// <see langword="null"/> when there is no live context). Sets <see cref="Write"/>, <see cref="NewHead"/>,
        /// <see cref="Kind"/>, <see cref="Result"/> and <see cref="ReservesSlot"/>, or throws the refusal.
        /// </summary>
        public abstract void Plan(ContextManager manager, ContextState? head, DateTimeOffset now);

        /// <summary>The live context a plan works on; refuses when there is none or it is not at <paramref name="expectedVersion"/>.</summary>
        protected ContextState Existing(ContextState? head, long? expectedVersion)
        {
            if (head is null)
            {
                throw new ContextNotFoundException(Id);
            }

            if (expectedVersion is { } expected && expected != head.Version)
            {
                throw new ContextVersionConflictException(Id, expected, head.Version);
            }

            return head;
        }

        /// <summary>Records the plan: <paramref name="write"/>, and what holds once it is durable.</summary>
        protected void Planned(ContextWrite write, ContextState? newHead, ContextChangeKind kind, ContextState result)
        {
            Write = write;
            NewHead = newHead;
            Kind = kind;
            Result = result;
        }

        /// <summary>Records the plan of an update to <paramref name="state"/>.</summary>
        protected void Updated(ContextState state) => Planned(new PutContextWrite(state), state, ContextChangeKind.Updated, state);

        /// <summary>Combiner: forgets the plan, so that the operation can be planned again from committed state.</summary>
        public void ForgetPlan()
        {
            Write = null;
            NewHead = null;
            Result = null;
            Refusal = null;
            ReservesSlot = false;
            Durable = null;
        }

        /// <summary>Lets <paramref name="cancellationToken"/> withdraw the operation until a combiner takes it.</summary>
        /// <returns><see langword="false"/> when the token is already cancelled (the operation then has its outcome).</returns>
        public bool Arm(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _withdrawable = true;
                _cancellation = cancellationToken.UnsafeRegister(
                    static (state, token) => ((TurnOperation)state!).Withdraw(token), this);
            }

            return Volatile.Read(ref _state) == Queued;
        }

        /// <summary>Claims the operation for planning; <see langword="false"/> when its caller withdrew it first.</summary>
        /// <remarks>An operation planned before (set aside after a failure, and queued again) is still taken.</remarks>
        public bool TryTake()
        {
            if (!_withdrawable)
            {
                // No token can withdraw it: nothing races this claim.
                _state = Taken;
                return true;
            }

            var previous = Interlocked.CompareExchange(ref _state, Taken, Queued);
            if (previous == Queued)
            {
                // Once planned it runs to its outcome: a write must never be half withdrawn.
                _cancellation.Unregister();
            }

            return previous != Cancelled;
        }

        /// <summary>Whether the caller withdrew the operation: a combiner skips it.</summary>
        public bool IsWithdrawn => Volatile.Read(ref _state) == Cancelled;

        public ValueTask<ContextState?> Outcome => new(this, _core.Version);

        /// <summary>Marks <paramref name="operation"/> as the one its caller is queueing on this thread; returns the previous mark, for <see cref="EndQueueing"/>.</summary>
        public static TurnOperation? BeginQueueing(TurnOperation operation)
        {
            var outer = t_queueing;
            t_queueing = operation;
            return outer;
        }

        public static void EndQueueing(TurnOperation? outer) => t_queueing = outer;

        public void Succeed() => Tell(null);

        public void Fail(Exception error) => Tell(error);

        /// <summary>
        /// Sets the outcome: in place while the caller is still queueing the operation on this thread (nobody awaits it
        /// yet), else from the thread pool's global queue, so that its caller's continuation never runs on the thread
        /// that completed it (a combiner, a commit, a cancellation).
        /// </summary>
        private void Tell(Exception? failure)
        {
            _failure = failure;
            if (ReferenceEquals(t_queueing, this))
            {
                Execute();
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        /// <summary>Sets the outcome <see cref="Tell"/> chose; its caller's continuation, if any, runs here.</summary>
        public void Execute()
        {
            if (_failure is { } failure)
            {
                _core.SetException(failure);
            }
            else
            {
                _core.SetResult(Result);
            }
        }

        ContextState? IValueTaskSource<ContextState?>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<ContextState?>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<ContextState?>.OnCompleted(
            Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        private void Withdraw(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
            {
                Fail(new OperationCanceledException(token));
            }
        }
    }
}
