namespace Acorn.Threading;

/// <summary>Operations on <see cref="RwLockWriteGuard{T}"/> that consume the guard, as static methods so they never clash with members of the protected value.</summary>
public static class RwLockWriteGuard
{
    /// <summary>Atomically turns a write hold into a read hold: no writer can acquire the lock in between.</summary>
    /// <typeparam name="T">The type of the protected value.</typeparam>
    /// <param name="guard">The write guard; it holds nothing afterwards, and disposing it does nothing.</param>
    /// <returns>A read guard. Readers queued at the head of the queue, up to the next writer, are admitted alongside it.</returns>
    /// <exception cref="ObjectDisposedException"><paramref name="guard"/> was already disposed or downgraded.</exception>
    /// <exception cref="SynchronizationLockException"><paramref name="guard"/> is a default value that never held the lock.</exception>
    /// <example>
    /// <code>
    /// var write = await table.WriteLockAsync(cancellationToken);
    /// write.Value = write.Value.Add(row);
    /// using var read = RwLockWriteGuard.Downgrade(write);
    /// await PublishAsync(read.Value, cancellationToken); // readers may join, writers may not
    /// </code>
    /// </example>
    public static RwLockReadGuard<T> Downgrade<T>(RwLockWriteGuard<T> guard) => guard.Downgrade();
}
