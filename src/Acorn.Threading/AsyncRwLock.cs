using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>An async reader-writer lock that owns the value it protects: many readers or one writer, reached only through guards.</summary>
/// <typeparam name="T">The type of the protected value.</typeparam>
/// <remarks>
/// <para>
/// Unlike <see cref="ReaderWriterLockSlim"/>, waiting never blocks a thread and a guard may be held across an
/// <see langword="await"/> (ReaderWriterLockSlim is thread-affine and breaks when a continuation resumes elsewhere).
/// </para>
/// <para>
/// When not to use it: when critical sections are short, an <see cref="AsyncMutex{T}"/> is usually faster, because
/// the bookkeeping for shared holds costs more than it saves. When reads can use an immutable snapshot, publish
/// snapshots and take no lock for reading at all.
/// </para>
/// <para>
/// Fairness: the lock is fair (FIFO), which makes it write-preferring in effect. Read and write waiters share one
/// queue; a new reader enters at once only if no writer holds the lock and nobody is queued. A release admits the
/// queue head: one writer, or every reader from the head up to the next queued writer. Why: with reader preference a
/// steady stream of overlapping readers starves writers forever; with a FIFO queue every caller waits at most for
/// those who came before it.
/// </para>
/// <para>
/// Deadlock warning: because a queued writer blocks new readers, a task that holds a read guard and asks for a
/// second read guard deadlocks if a writer queued in between: the writer waits for the first read guard, the second
/// read waits behind the writer. Never acquire the lock again while holding it, for reading or for writing.
/// </para>
/// <para>
/// Cancel safety: cancelling a pending acquisition (token or timeout) removes the caller from the queue and loses its
/// place; it never leaves the lock held. A cancelled writer at the head of the queue lets the readers behind it in.
/// </para>
/// <para>
/// Downgrade: <see cref="RwLockWriteGuard.Downgrade{T}(RwLockWriteGuard{T})"/> turns a write hold into a read hold
/// atomically; no writer can get in between.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var catalog = new AsyncRwLock&lt;Catalog&gt;(Catalog.Empty, name: "catalog");
/// using (var read = await catalog.ReadLockAsync(cancellationToken))
/// {
///     Render(read.Value); // other readers may hold the lock at the same time
/// }
///
/// var write = await catalog.WriteLockAsync(cancellationToken);
/// write.Value = write.Value.With(item);
/// using var reread = RwLockWriteGuard.Downgrade(write); // keep reading what we just wrote
/// </code>
/// </example>
[DebuggerDisplay("Readers = {ReaderCount}, IsWriteLocked = {IsWriteLocked}, Waiting = {WaitingCount}, Name = {Name}")]
public sealed class AsyncRwLock<T>
{
    private readonly ReaderWriterCore<RwLockReadGuard<T>, RwLockWriteGuard<T>> _core;
    private T _value;

    /// <summary>Initializes a new instance of the <see cref="AsyncRwLock{T}"/> class that owns <paramref name="value"/>.</summary>
    /// <param name="value">The value to protect; do not keep other references to it.</param>
    /// <param name="name">The <c>acorn.lock.name</c> tag of this lock's metrics; none when null.</param>
    /// <param name="timeProvider">The clock for timeouts and metrics; <see cref="TimeProvider.System"/> when null.</param>
    public AsyncRwLock(T value, string? name = null, TimeProvider? timeProvider = null)
    {
        _value = value;
        _core = new ReaderWriterCore<RwLockReadGuard<T>, RwLockWriteGuard<T>>(this, name, timeProvider);
    }

    /// <summary>Gets the name used to tag this lock's metrics, if any.</summary>
    public string? Name => _core.Name;

    /// <summary>Gets the number of read guards currently held (a snapshot).</summary>
    public int ReaderCount => _core.ReaderCount;

    /// <summary>Gets a value indicating whether a write guard is currently held (a snapshot).</summary>
    public bool IsWriteLocked => _core.IsWriteHeld;

    /// <summary>Gets the number of queued readers and writers (a snapshot).</summary>
    public int WaitingCount => _core.WaiterCount;

    internal ReaderWriterCore<RwLockReadGuard<T>, RwLockWriteGuard<T>> Core => _core;

    internal ref T Value => ref _value;

    /// <summary>Acquires shared read access, waiting as long as it takes.</summary>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives read access and ends it when disposed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockReadGuard<T>> ReadLockAsync(CancellationToken cancellationToken = default) =>
        _core.ReadAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Acquires shared read access, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only enters at once.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives read access and ends it when disposed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="TimeoutException">Access was not granted within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockReadGuard<T>> ReadLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.ReadAsync(timeout, cancellationToken);
    }

    /// <summary>Tries to acquire shared read access within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only enters at once.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A read guard, or <see langword="null"/> when the timeout expired first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockReadGuard<T>?> TryReadLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.TryReadAsync(timeout, cancellationToken);
    }

    /// <summary>Acquires shared read access if it can be granted at once, without waiting.</summary>
    /// <param name="guard">The read guard on success; a default guard otherwise.</param>
    /// <returns><see langword="true"/> when read access was granted.</returns>
    public bool TryReadLock(out RwLockReadGuard<T> guard) => _core.TryRead(out guard);

    /// <summary>Acquires exclusive write access, waiting as long as it takes.</summary>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives write access and ends it when disposed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockWriteGuard<T>> WriteLockAsync(CancellationToken cancellationToken = default) =>
        _core.WriteAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Acquires exclusive write access, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only enters at once.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives write access and ends it when disposed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="TimeoutException">Access was not granted within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockWriteGuard<T>> WriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.WriteAsync(timeout, cancellationToken);
    }

    /// <summary>Tries to acquire exclusive write access within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only enters at once.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A write guard, or <see langword="null"/> when the timeout expired first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before access was granted.</exception>
    public ValueTask<RwLockWriteGuard<T>?> TryWriteLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.TryWriteAsync(timeout, cancellationToken);
    }

    /// <summary>Acquires exclusive write access if it can be granted at once, without waiting.</summary>
    /// <param name="guard">The write guard on success; a default guard otherwise.</param>
    /// <returns><see langword="true"/> when write access was granted.</returns>
    public bool TryWriteLock(out RwLockWriteGuard<T> guard) => _core.TryWrite(out guard);
}
