namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>A lock that a method may leave held when it returns normally.</summary>
/// <param name="Family">Which releases end it (see <see cref="LockCall.Family"/>).</param>
/// <param name="IsAsync">True for an async lock.</param>
/// <param name="Path">Where the lock lives, or null when only the returned guard can release it.</param>
/// <param name="Display">How the lock reads inside the method, for when the caller cannot name it.</param>
/// <param name="ReleasedByReturnedGuard">True when disposing the value the method returns (or the object a constructor creates) releases it.</param>
/// <param name="HeldWhenTrue">True when it is held only if the method returned <see langword="true"/>.</param>
internal sealed record HeldLock(string Family, bool IsAsync, LockPath? Path, string Display, bool ReleasedByReturnedGuard, bool HeldWhenTrue);
