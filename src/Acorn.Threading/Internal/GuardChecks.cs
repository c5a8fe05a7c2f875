using System.Diagnostics.CodeAnalysis;

namespace Acorn.Threading.Internal;

/// <summary>The checks every guard makes before giving access to what it protects.</summary>
internal static class GuardChecks
{
    /// <summary>Throws unless the guard was acquired (<paramref name="owner"/> set) and still holds its lock.</summary>
    /// <exception cref="SynchronizationLockException">The guard is a default value.</exception>
    /// <exception cref="ObjectDisposedException">The guard was disposed.</exception>
    internal static void ThrowIfNotHeld([NotNull] object? owner, bool held, Type guardType)
    {
        if (owner is null)
        {
            throw new SynchronizationLockException(Messages.GuardNotAcquired);
        }

        ObjectDisposedException.ThrowIf(!held, guardType);
    }
}
