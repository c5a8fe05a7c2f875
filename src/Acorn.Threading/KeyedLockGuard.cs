using System.Diagnostics;
using Acorn.Threading.Internal;

namespace Acorn.Threading;

/// <summary>Proof that the caller holds one key of a <see cref="KeyedAsyncLock{TKey}"/>; disposing it releases the key.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// The guard is a small struct carrying a ticket, so acquiring allocates nothing. Copies share the ticket:
/// the first <see cref="Dispose"/> of any copy releases the key, later ones do nothing. A default guard
/// holds nothing.
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public readonly struct KeyedLockGuard<TKey> : IDisposable, IGuard<KeyedLockGuard<TKey>>
    where TKey : notnull
{
    private readonly KeyedEntry<TKey>? _entry;
    private readonly long _ticket;

    private KeyedLockGuard(KeyedEntry<TKey> entry, long ticket)
    {
        _entry = entry;
        _ticket = ticket;
    }

    /// <summary>Gets the key this guard holds.</summary>
    /// <exception cref="ObjectDisposedException">The guard was disposed.</exception>
    /// <exception cref="SynchronizationLockException">The guard is a default value that never held a key.</exception>
    public TKey Key
    {
        get
        {
            // Read the key first: if the guard still holds afterwards, the entry was not reused for another key meanwhile.
            var key = _entry is null ? default! : _entry.Key;
            GuardChecks.ThrowIfNotHeld(_entry, IsHeld, typeof(KeyedLockGuard<TKey>));
            return key;
        }
    }

    /// <summary>Gets a value indicating whether this guard still holds its key.</summary>
    public bool IsHeld => _entry is not null && _entry.IsHeldBy(_ticket);

    private string DebuggerDisplay => IsHeld ? $"Held: {_entry!.Key}" : "Released";

    static KeyedLockGuard<TKey> IGuard<KeyedLockGuard<TKey>>.Create(object target, long ticket) =>
        new((KeyedEntry<TKey>)target, ticket);

    /// <summary>Releases the key; the next waiter for it, if any, gets it. Later calls do nothing.</summary>
    public void Dispose() => _entry?.Release(_ticket);
}
