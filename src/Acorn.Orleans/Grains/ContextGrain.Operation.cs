using Acorn.Contexts;

namespace Acorn.Orleans.Grains;

public sealed partial class ContextGrain
{
    private static readonly ContextWriteResult NotAttempted = new(ContextWriteOutcome.NotAttempted, null);

    /// <summary>One queued call: planned on the running state in a batch (or run alone), answered once the batch is persisted.</summary>
    private abstract class GrainOperation
    {
        /// <summary>How many versions the plan added to the running state (0: a refusal, or nothing to write).</summary>
        public int Versions { get; protected set; }

        /// <summary>Runs with nothing planned before it and nothing after it in its storage write (a recovery point).</summary>
        public virtual bool RunsAlone => false;

        /// <summary>Once planned, nothing else joins its batch (a delete, whose clean-up must come first).</summary>
        public virtual bool EndsBatch => false;

        /// <summary>
        /// The planned outcome may be answered before the batch is persisted: a refusal nobody outside the client sees
        /// (see UpdateRunOperation), so that the client can plan again on the running state while the batch commits.
        /// </summary>
        public virtual bool AnswersAtOnce => false;

        /// <summary>A call the plan needed failed before the running state changed; the caller gets it as the outcome.</summary>
        public Exception? PlanningFailure { get; set; }

        public virtual ValueTask PlanAsync(ContextGrain grain, DateTimeOffset now) =>
            throw new InvalidOperationException($"{GetType().Name} runs alone.");

        public virtual Task RunAloneAsync(ContextGrain grain) => throw new InvalidOperationException($"{GetType().Name} is planned in a batch.");

        /// <summary>Work after the batch is persisted and before its answers (best effort).</summary>
        public virtual ValueTask AfterCommitAsync(ContextGrain grain) => ValueTask.CompletedTask;

        /// <summary>Adds the changes the plan persisted, for the change stream.</summary>
        public virtual void AddChanges(List<ContextChangeEvent> changes)
        {
        }

        /// <summary>Answers with the planned outcome: the batch is persisted.</summary>
        public abstract void Complete();

        /// <summary>Answers with a storage failure.</summary>
        public abstract void Fail(Exception exception);

        /// <summary>Answers that nothing was decided or changed (<see cref="ContextWriteOutcome.NotAttempted"/>).</summary>
        public abstract void Abort();
    }

    /// <summary>An operation whose caller waits for a <typeparamref name="T"/>.</summary>
    private abstract class GrainOperation<T>(T notAttempted) : GrainOperation
    {
        private readonly TaskCompletionSource<T> _completion = new();

        public Task<T> Task => _completion.Task;

        /// <summary>The planned outcome.</summary>
        protected T? Result { get; set; }

        public override void Complete()
        {
            if (PlanningFailure is { } failure)
            {
                _completion.TrySetException(failure);
            }
            else
            {
                _completion.TrySetResult(Result!);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Abort() => _completion.TrySetResult(notAttempted);

        /// <summary>Answers at once (an operation run alone).</summary>
        protected void Answer(T result)
        {
            Result = result;
            Complete();
        }
    }

    /// <summary>An operation that writes at most one version and answers with a <see cref="ContextWriteResult"/>.</summary>
    private abstract class WriteOperation(ContextChangeKind kind) : GrainOperation<ContextWriteResult>(NotAttempted)
    {
        protected ContextChangeKind Kind => kind;

        public override void AddChanges(List<ContextChangeEvent> changes)
        {
            if (Versions > 0 && PlanningFailure is null)
            {
                changes.Add(new ContextChangeEvent((int)kind, Result!.Change, Result.Record!));
            }
        }

        /// <summary>Plans the write: <paramref name="next"/> becomes the running state (<see langword="null"/> deletes).</summary>
        /// <param name="grain">The grain.</param>
        /// <param name="next">The new state.</param>
        /// <param name="answer">What to answer with when it is not <paramref name="next"/> (the deleted state).</param>
        protected void Write(ContextGrain grain, ContextRecord? next, ContextRecord? answer = null)
        {
            Result = new ContextWriteResult(ContextWriteOutcome.Written, next ?? answer, grain.Apply(next));
            Versions = 1;
        }

        protected void Refuse(ContextWriteResult refusal) => Result = refusal;
    }
}
