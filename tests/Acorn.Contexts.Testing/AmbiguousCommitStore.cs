namespace Acorn.Contexts.Testing;

/// <summary>
/// A store whose next writes fail in a way that leaves their outcome unknown: after the real store committed them
/// (<see cref="FailAfterCommitting"/>, a COMMIT or fsync error after the data was written), or before it saw them
/// (<see cref="FailBeforeCommitting"/>, a connection lost before the request went out). Either way the caller gets an
/// error that is not a <see cref="ContextStoreException"/>, so nothing vouches that nothing changed.
/// </summary>
public sealed class AmbiguousCommitStore(IContextStore inner) : DelegatingContextStore(inner)
{
    private int _failAfterCommitting;
    private int _failBeforeCommitting;

    /// <summary>The next <paramref name="count"/> writes are committed, then reported as failed.</summary>
    public void FailAfterCommitting(int count) => Volatile.Write(ref _failAfterCommitting, count);

    /// <summary>The next <paramref name="count"/> writes are not committed, and reported with an error of unknown outcome.</summary>
    public void FailBeforeCommitting(int count) => Volatile.Write(ref _failBeforeCommitting, count);

    public override async ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        if (Take(ref _failBeforeCommitting))
        {
            return Task.FromException(new IOException($"injected: connection lost before the write to '{write.ContextId}' was sent"));
        }

        var durable = await Inner.SubmitAsync(write, cancellationToken);
        return Take(ref _failAfterCommitting) ? FailAfterAsync(durable, write) : durable;
    }

    public override async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        await await SubmitAsync(write, cancellationToken);

    private static async Task FailAfterAsync(Task durable, ContextWrite write)
    {
        await durable;
        throw new IOException($"injected: the commit holding the write to '{write.ContextId}' reported an error after storing it");
    }

    private static bool Take(ref int remaining)
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
