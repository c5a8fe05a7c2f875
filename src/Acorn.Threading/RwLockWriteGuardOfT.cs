using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>Exclusive write access to the value of an <see cref="AsyncRwLock{T}"/>; disposing it ends the access.</summary>
/// <typeparam name="T">The type of the protected value.</typeparam>
/// <remarks>
/// The guard is a small struct carrying a ticket, so acquiring allocates nothing. Copies share the ticket:
/// the first <see cref="Dispose"/> (or <see cref="RwLockWriteGuard.Downgrade{T}(RwLockWriteGuard{T})"/>) of any copy ends the write hold, later disposals do
/// nothing. A default guard holds nothing.
/// </remarks>
[DebuggerDisplay("IsHeld = {IsHeld}")]
public readonly struct RwLockWriteGuard<T> : IDisposable, IGuard<RwLockWriteGuard<T>>
{
    private readonly AsyncRwLock<T>? _lock;
    private readonly long _ticket;

    private RwLockWriteGuard(AsyncRwLock<T> owner, long ticket)
    {
        _lock = owner;
        _ticket = ticket;
    }

    /// <summary>Gets a reference to the protected value, valid until the guard is disposed or downgraded.</summary>
    /// <exception cref="ObjectDisposedException">The guard was disposed or downgraded.</exception>
    /// <exception cref="SynchronizationLockException">The guard is a default value that never held the lock.</exception>
    public ref T Value
    {
        get
        {
            GuardChecks.ThrowIfNotHeld(_lock, IsHeld, typeof(RwLockWriteGuard<T>));
            return ref _lock.Value;
        }
    }

    /// <summary>Gets a value indicating whether this guard still holds write access.</summary>
    public bool IsHeld => _lock is not null && _lock.Core.IsWriteHeldBy(_ticket);

    /// <summary>Turns this write hold into a read hold atomically; see <see cref="RwLockWriteGuard.Downgrade{T}(RwLockWriteGuard{T})"/>.</summary>
    internal RwLockReadGuard<T> Downgrade()
    {
        if (_lock is null)
        {
            throw new SynchronizationLockException(Messages.GuardNotAcquired);
        }

        return _lock.Core.Downgrade(_ticket);
    }

    static RwLockWriteGuard<T> IGuard<RwLockWriteGuard<T>>.Create(object target, long ticket) => new((AsyncRwLock<T>)target, ticket);

    /// <summary>Ends the write hold; the queue head (a writer, or the readers up to the next writer) gets in. Later calls do nothing.</summary>
    public void Dispose() => _lock?.Core.ReleaseWrite(_ticket);
}
