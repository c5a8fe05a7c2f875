namespace Acorn.Threading.Internal;

/// <summary>Lets a generic wait node build the public guard it completes with.</summary>
/// <typeparam name="TSelf">The guard type.</typeparam>
internal interface IGuard<TSelf>
    where TSelf : struct, IGuard<TSelf>
{
    /// <summary>Creates a guard for the holder identified by <paramref name="ticket"/>.</summary>
    static abstract TSelf Create(object target, long ticket);
}
