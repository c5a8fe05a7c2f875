using System.Diagnostics;
using System.Numerics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>Async mutual exclusion per key: callers with equal keys take turns, callers with different keys never wait for each other.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// <para>
/// Use it to serialize work on one entity (a context id, a file name, a tenant) without one lock object per
/// entity: an entry exists only while a key is held or waited for, and is removed when its last holder or
/// waiter leaves, so a stream of distinct keys does not grow memory. <see cref="Count"/> shows the live entries.
/// </para>
/// <para>
/// When not to use it: when every caller needs the same lock (use <see cref="AsyncMutex{T}"/>, which also owns
/// the protected value); for work that never awaits (a <see cref="Lock"/> is cheaper); or when the guarded data
/// could be an immutable snapshot swapped with <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>.
/// Holding two keys at once deadlocks unless every caller takes them in one agreed order.
/// </para>
/// <para>
/// Fairness: waiters for one key are served in FIFO order by direct hand-off; a release gives the key to the
/// first waiter, so a newcomer never overtakes a queued caller.
/// </para>
/// <para>
/// Cancel safety: cancelling a pending acquisition (token or timeout) removes the caller from the queue and
/// loses its place; it never leaves the key held. An already cancelled token completes at once without queueing.
/// </para>
/// <para>
/// Cost: an uncontended acquire and release allocate nothing; a caller that has to wait uses a pooled node,
/// plus one timer object when it waits with a finite timeout. Keys are spread over striped maps, each guarded
/// by a short synchronous lock that is never held across an await.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var locks = new KeyedAsyncLock&lt;string&gt;(StringComparer.Ordinal);
/// using (await locks.LockAsync(contextId, cancellationToken))
/// {
///     await SaveAsync(contextId, cancellationToken); // no other caller holds contextId here
/// }
/// </code>
/// </example>
[DebuggerDisplay("Count = {Count}, Name = {Name}")]
public sealed class KeyedAsyncLock<TKey>
    where TKey : notnull
{
    private readonly KeyedStripe<TKey>[] _stripes;
    private readonly IEqualityComparer<TKey> _comparer;
    private readonly int _shift;

    /// <summary>Initializes a new instance of the <see cref="KeyedAsyncLock{TKey}"/> class.</summary>
    /// <param name="comparer">Compares keys; <see cref="EqualityComparer{T}.Default"/> when null.</param>
    public KeyedAsyncLock(IEqualityComparer<TKey>? comparer = null)
        : this(comparer, name: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyedAsyncLock{TKey}"/> class with a name for its metrics.</summary>
    /// <param name="comparer">Compares keys; <see cref="EqualityComparer{T}.Default"/> when null.</param>
    /// <param name="name">The <c>acorn.lock.name</c> tag of this lock's metrics; none when null.</param>
    /// <param name="timeProvider">The clock for timeouts and metrics; <see cref="TimeProvider.System"/> when null.</param>
    public KeyedAsyncLock(IEqualityComparer<TKey>? comparer, string? name, TimeProvider? timeProvider = null)
    {
        _comparer = comparer ?? EqualityComparer<TKey>.Default;
        Name = name;
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, Environment.ProcessorCount * 4));
        _shift = 32 - BitOperations.Log2((uint)stripes);
        _stripes = new KeyedStripe<TKey>[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new KeyedStripe<TKey>(_comparer, name, timeProvider);
        }
    }

    /// <summary>Gets the name used to tag this lock's metrics, if any.</summary>
    public string? Name { get; }

    /// <summary>Gets the number of keys currently held or waited for (a snapshot; it may change at once).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                count += stripe.Count;
            }

            return count;
        }
    }

    /// <summary>Acquires <paramref name="key"/>, waiting as long as it takes.</summary>
    /// <param name="key">The key to lock.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that releases the key when disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the key was acquired.</exception>
    public ValueTask<KeyedLockGuard<TKey>> LockAsync(TKey key, CancellationToken cancellationToken = default) =>
        LockAsync(key, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Acquires <paramref name="key"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="key">The key to lock.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only takes a free key.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that releases the key when disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="TimeoutException">The key was not acquired within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the key was acquired.</exception>
    public ValueTask<KeyedLockGuard<TKey>> LockAsync(TKey key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Timeouts.Validate(timeout, nameof(timeout));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<KeyedLockGuard<TKey>>(cancellationToken);
        }

        return StripeOf(key).Join(key).LockAsync(timeout, cancellationToken);
    }

    /// <summary>Tries to acquire <paramref name="key"/> within <paramref name="timeout"/>.</summary>
    /// <param name="key">The key to lock.</param>
    /// <param name="timeout">The longest wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero only takes a free key.</param>
    /// <param name="cancellationToken">Cancels the wait; the caller then gives up its place in the queue.</param>
    /// <returns>A guard that releases the key when disposed, or <see langword="null"/> when the timeout expired first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large for a timer.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the key was acquired.</exception>
    public ValueTask<KeyedLockGuard<TKey>?> TryLockAsync(TKey key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        Timeouts.Validate(timeout, nameof(timeout));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<KeyedLockGuard<TKey>?>(cancellationToken);
        }

        return StripeOf(key).Join(key).TryLockAsync(timeout, cancellationToken);
    }

    /// <summary>Acquires <paramref name="key"/> if nobody holds it, without waiting.</summary>
    /// <param name="key">The key to lock.</param>
    /// <param name="guard">The guard when the key was free; a default guard otherwise.</param>
    /// <returns><see langword="true"/> when the key was acquired.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryLock(TKey key, out KeyedLockGuard<TKey> guard)
    {
        ArgumentNullException.ThrowIfNull(key);
        var stripe = StripeOf(key);
        var entry = stripe.Join(key);
        if (entry.TryLock(out guard))
        {
            return true;
        }

        stripe.Leave(entry);
        return false;
    }

    private KeyedStripe<TKey> StripeOf(TKey key)
    {
        // Fibonacci hashing spreads comparers whose hash codes differ only in high or low bits.
        var hash = (uint)_comparer.GetHashCode(key) * 0x9E3779B9u;
        return _stripes[hash >> _shift];
    }
}
