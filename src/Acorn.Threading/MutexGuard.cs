using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>Exclusive access to the value of an <see cref="AsyncMutex{T}"/>; disposing it releases the mutex.</summary>
/// <typeparam name="T">The type of the protected value.</typeparam>
/// <remarks>
/// The guard is a small struct carrying a ticket, so acquiring allocates nothing. Copies share the ticket:
/// the first <see cref="Dispose"/> of any copy releases the mutex, later ones do nothing, and every copy
/// then refuses access to the value. A default guard holds nothing.
/// </remarks>
[DebuggerDisplay("IsHeld = {IsHeld}")]
public readonly struct MutexGuard<T> : IDisposable, IGuard<MutexGuard<T>>
{
    private readonly AsyncMutex<T>? _mutex;
    private readonly long _ticket;

    private MutexGuard(AsyncMutex<T> mutex, long ticket)
    {
        _mutex = mutex;
        _ticket = ticket;
    }

    /// <summary>Gets a reference to the protected value, valid until the guard is disposed.</summary>
    /// <remarks>Do not keep the reference, or objects reached through it, beyond the guard's lifetime.</remarks>
    /// <exception cref="ObjectDisposedException">The guard was disposed.</exception>
    /// <exception cref="SynchronizationLockException">The guard is a default value that never held the mutex.</exception>
    public ref T Value
    {
        get
        {
            GuardChecks.ThrowIfNotHeld(_mutex, IsHeld, typeof(MutexGuard<T>));
            return ref _mutex.Value;
        }
    }

    /// <summary>Gets a value indicating whether this guard still holds the mutex.</summary>
    public bool IsHeld => _mutex is not null && _mutex.Core.IsHeldBy(_ticket);

    static MutexGuard<T> IGuard<MutexGuard<T>>.Create(object target, long ticket) => new((AsyncMutex<T>)target, ticket);

    /// <summary>Releases the mutex; the first waiter, if any, gets it. Later calls do nothing.</summary>
    public void Dispose() => _mutex?.Core.Release(_ticket);
}
