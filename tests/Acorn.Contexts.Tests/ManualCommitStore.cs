using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// A pipelining store whose commits the test performs: submitted writes wait, in submission order, until
/// <see cref="Commit"/> applies them (version-checked, to an in-memory store) or <see cref="Fail"/> fails them.
/// </summary>
internal sealed class ManualCommitStore() : DelegatingContextStore(new InMemoryContextStore())
{
    private readonly Lock _gate = new();
    private readonly Queue<(ContextWrite Write, TaskCompletionSource Durable)> _waiting = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];
    private int _submitted;

    /// <summary>Every write submitted so far, in submission order.</summary>
    public List<ContextWrite> Submitted { get; } = [];

    /// <summary>How many writes have been submitted in all.</summary>
    public int SubmittedCount
    {
        get
        {
            lock (_gate)
            {
                return _submitted;
            }
        }
    }

    /// <summary>Every write the real store applied, in order.</summary>
    public List<ContextWrite> Committed { get; } = [];

    /// <summary>How many submitted writes wait for their commit.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public override ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiting.Enqueue((write, durable));
            Submitted.Add(write);
            _submitted++;
            foreach (var watcher in _watchers.Where(w => w.Count <= _submitted))
            {
                watcher.Reached.TrySetResult();
            }
        }

        return new ValueTask<Task>(durable.Task);
    }

    public override async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        await await SubmitAsync(write, cancellationToken);

    /// <summary>While set, a read of one context (<see cref="ReadContextAsync"/>) signals <see cref="ReadAsked"/> and waits for it.</summary>
    public TaskCompletionSource? ReadGate { get; set; }

    /// <summary>Completes when a read of one context waits at <see cref="ReadGate"/>.</summary>
    public TaskCompletionSource ReadAsked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken)
    {
        if (ReadGate is { } gate)
        {
            ReadAsked.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await base.ReadContextAsync(contextId, cancellationToken);
    }

    /// <summary>Completes when <paramref name="count"/> writes have been submitted in all.</summary>
    public Task SubmittedAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_submitted >= count)
            {
                return Task.CompletedTask;
            }

            _watchers.Add((count, reached));
        }

        return reached.Task.WaitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Applies the next <paramref name="count"/> waiting writes in order; a stale one fails with the inner store's conflict.</summary>
    public void Commit(int count = int.MaxValue)
    {
        foreach (var (write, durable) in Take(count))
        {
            if (Apply(write) is { } refusal)
            {
                durable.SetException(refusal);
            }
            else
            {
                durable.SetResult();
            }
        }
    }

    /// <summary>
    /// Applies the next <paramref name="count"/> waiting writes, then fails them with <paramref name="error"/>: a commit
    /// that stored them and reported an error after (their outcome is unknown to the writer).
    /// </summary>
    public void CommitThenFail(int count, Exception error)
    {
        foreach (var (write, durable) in Take(count))
        {
            durable.SetException(Apply(write) is { } refusal ? refusal : [error]);
        }
    }

    /// <summary>Fails the next <paramref name="count"/> waiting writes with <paramref name="error"/>, applying none.</summary>
    public void Fail(int count, Exception error)
    {
        foreach (var (_, durable) in Take(count))
        {
            durable.SetException(error);
        }
    }

    /// <summary>Applies a write to the real store (version-checked); returns its refusal, if any.</summary>
    private System.Collections.ObjectModel.ReadOnlyCollection<Exception>? Apply(ContextWrite write)
    {
        var applied = Inner.WriteAsync(write, CancellationToken.None);
        if (!applied.IsCompletedSuccessfully)
        {
            return applied.AsTask().Exception!.InnerExceptions;
        }

        Committed.Add(write);
        return null;
    }

    private List<(ContextWrite Write, TaskCompletionSource Durable)> Take(int count)
    {
        lock (_gate)
        {
            var taken = new List<(ContextWrite, TaskCompletionSource)>();
            while (taken.Count < count && _waiting.TryDequeue(out var next))
            {
                taken.Add(next);
            }

            return taken;
        }
    }
}
