using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>
/// The original's "before": a <see cref="ReaderWriterLockSlim"/> over a dictionary, persistence called synchronously
/// while the write lock is held, and read-modify-write as a read followed by a separate write (so it loses updates).
/// Exists only to be measured.
/// </summary>
internal sealed class NaiveSyncContender(IContextStore store) : IContender, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, ContextState> _contexts = new(StringComparer.Ordinal);

    public string Name => "naive sync";

    public ValueTask CreateAsync(string id)
    {
        var state = Counter.State(id, 1, 0);
        _lock.EnterWriteLock();
        try
        {
            _contexts.Add(id, state);
            // The trap being measured: blocking on I/O while holding a thread-affine lock.
            store.WriteAsync(new PutContextWrite(state), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask IncrementAsync(string id)
    {
        ContextState current;
        _lock.EnterReadLock();
        try
        {
            current = _contexts[id];
        }
        finally
        {
            _lock.ExitReadLock();
        }

        _lock.EnterWriteLock();
        try
        {
            // No version check: a concurrent increment between the read and here is overwritten (a lost update).
            var stored = _contexts[id];
            var next = Counter.State(id, stored.Version + 1, Counter.Of(current) + 1);
            _contexts[id] = next;
            store.WriteAsync(new PutContextWrite(next), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAsync(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return ValueTask.FromResult(Counter.Of(_contexts[id]));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();
}
