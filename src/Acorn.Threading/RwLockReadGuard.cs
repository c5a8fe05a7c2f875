using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>Shared read access to the value of an <see cref="AsyncRwLock{T}"/>; disposing it ends the access.</summary>
/// <typeparam name="T">The type of the protected value.</typeparam>
/// <remarks>
/// The guard is a small struct carrying a ticket, so acquiring allocates nothing. Copies share the ticket:
/// the first <see cref="Dispose"/> of any copy ends the read hold, later ones do nothing. A default guard holds nothing.
/// </remarks>
[DebuggerDisplay("IsHeld = {IsHeld}")]
public readonly struct RwLockReadGuard<T> : IDisposable, IGuard<RwLockReadGuard<T>>
{
    private readonly AsyncRwLock<T>? _lock;
    private readonly ReaderSlot? _slot;
    private readonly long _ticket;

    private RwLockReadGuard(ReaderSlot slot, long ticket)
    {
        _lock = (AsyncRwLock<T>)slot.Owner;
        _slot = slot;
        _ticket = ticket;
    }

    /// <summary>Gets a read-only reference to the protected value, valid until the guard is disposed.</summary>
    /// <remarks>Other readers see the same value at the same time: do not mutate objects reached through it.</remarks>
    /// <exception cref="ObjectDisposedException">The guard was disposed.</exception>
    /// <exception cref="SynchronizationLockException">The guard is a default value that never held the lock.</exception>
    public ref readonly T Value
    {
        get
        {
            GuardChecks.ThrowIfNotHeld(_slot, IsHeld, typeof(RwLockReadGuard<T>));
            return ref _lock!.Value;
        }
    }

    /// <summary>Gets a value indicating whether this guard still holds read access.</summary>
    public bool IsHeld => _slot is not null && _slot.IsHeldBy(_ticket);

    static RwLockReadGuard<T> IGuard<RwLockReadGuard<T>>.Create(object target, long ticket) => new((ReaderSlot)target, ticket);

    /// <summary>Ends the read hold; the last reader out admits the queued writer. Later calls do nothing.</summary>
    public void Dispose()
    {
        if (_slot is not null)
        {
            _lock!.Core.ReleaseRead(_slot, _ticket);
        }
    }
}
