namespace Acorn.Contexts;

public sealed partial class ContextManager
{
    /// <summary>
    /// The slots of <see cref="ContextOptions.MaxContexts"/> taken: contexts in memory plus creates in flight. Once every
    /// write has settled it equals <see cref="Count"/>; a path that reserves a slot and never releases it shows here.
    /// </summary>
    internal int ReservedCount => Volatile.Read(ref _reservedCount);
}
