using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>An async mutual-exclusion lock that owns the value it protects; the only way to reach the value is the guard of an acquisition.</summary>
/// <typeparam name="T">The type of the protected value.</typeparam>
/// <remarks>
/// <para>
/// Unlike <see cref="Lock"/> or <see cref="Monitor"/>, waiting never blocks a thread, and the lock may be held across
/// an <see langword="await"/>. Unlike a bare <see cref="SemaphoreSlim"/>, the value cannot be touched without holding
/// the lock: <see cref="MutexGuard{T}.Value"/> checks that its guard still holds it.
/// </para>
/// <para>
/// When not to use it: if the critical section never awaits, a <see cref="Lock"/> is cheaper and simpler (keep it
/// short and free of I/O). If the value can be an immutable snapshot, swap snapshots with
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/> and take no lock at all. If readers dominate, use
/// <see cref="AsyncRwLock{T}"/>; for one lock per entity, use <see cref="KeyedAsyncLock{TKey}"/>.
/// The mutex is not reentrant: acquiring it again while holding it waits forever.
/// </para>
/// <para>
/// Fairness: waiters are served in FIFO order by direct hand-off; a release gives the lock to the first waiter,
/// so a newcomer (even one using <see cref="TryLock"/>) never overtakes a queued caller.
/// </para>
/// <para>
/// Cancel safety: cancelling a pending acquisition (token or timeout) removes the caller from the queue and loses
/// its place; it never leaves the lock held. An already cancelled token completes at once without queueing.
/// </para>
/// <para>
/// Cost: an uncontended acquire completes synchronously and allocates nothing; a caller that has to wait uses a
/// pooled node, plus one timer object when it waits with a finite timeout. Metrics go to the
/// <c>Acorn.Threading</c> meter (kind <c>mutex</c>) and cost nothing while nobody listens.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var totals = new AsyncMutex&lt;Dictionary&lt;string, int&gt;&gt;(new(), name: "totals");
/// using (var guard = await totals.LockAsync(cancellationToken))
/// {
///     guard.Value["orders"] = guard.Value.GetValueOrDefault("orders") + 1;
///     await journal.AppendAsync("orders", cancellationToken); // still exclusive here
/// }
/// </code>
/// </example>
[DebuggerDisplay("IsLocked = {IsLocked}, Waiting = {WaitingCount}, Name = {Name}")]
public sealed class AsyncMutex<T>
{
    private readonly ExclusiveCore<MutexGuard<T>> _core;
    private T _value;

    /// <summary>Initializes a new instance of the <see cref="AsyncMutex{T}"/> class that owns <paramref name="value"/>.</summary>
    /// <param name="value">The value to protect; do not keep other references to it.</param>
    /// <param name="name">The <c>acorn.lock.name</c> tag of this mutex's metrics; none when null.</param>
    /// <param name="timeProvider">The clock for timeouts and metrics; <see cref="TimeProvider.System"/> when null.</param>
    public AsyncMutex(T value, string? name = null, TimeProvider? timeProvider = null)
    {
        _value = value;
        _core = new ExclusiveCore<MutexGuard<T>>("mutex", name, timeProvider) { GuardTarget = this };
    }

    /// <summary>Gets the name used to tag this mutex's metrics, if any.</summary>
    public string? Name => _core.Name;

    /// <summary>Gets a value indicating whether somebody holds the mutex (a snapshot).</summary>
    public bool IsLocked => _core.IsHeld;

    /// <summary>Gets the number of queued callers (a snapshot).</summary>
    public int WaitingCount => _core.WaiterCount;

    internal ExclusiveCore<MutexGuard<T>> Core => _core;

    internal ref T Value => ref _value;

    /// <summary>Acquires the mutex, waiting as long as it takes.</summary>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives access to the value and releases the mutex when disposed.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled before the mutex was acquired.</exception>
    public ValueTask<MutexGuard<T>> LockAsync(CancellationToken cancellationToken = default) =>
        _core.LockAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Acquires the mutex, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only takes a free mutex.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that gives access to the value and releases the mutex when disposed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="TimeoutException">The mutex was not acquired within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the mutex was acquired.</exception>
    public ValueTask<MutexGuard<T>> LockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.LockAsync(timeout, cancellationToken);
    }

    /// <summary>Tries to acquire the mutex within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only takes a free mutex.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard, or <see langword="null"/> when the timeout expired first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the mutex was acquired.</exception>
    public ValueTask<MutexGuard<T>?> TryLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Timeouts.Validate(timeout, nameof(timeout));
        return _core.TryLockAsync(timeout, cancellationToken);
    }

    /// <summary>Acquires the mutex if it is free, without waiting.</summary>
    /// <param name="guard">The guard when the mutex was free; a default guard otherwise.</param>
    /// <returns><see langword="true"/> when the mutex was acquired.</returns>
    public bool TryLock(out MutexGuard<T> guard) => _core.TryLock(out guard);
}
