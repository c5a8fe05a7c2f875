namespace Acorn.Threading.Internal;

/// <summary>One active read hold of a reader-writer lock; pooled, so a read guard needs no allocation.</summary>
/// <remarks>A read guard is valid while the slot still carries its ticket; tickets are never reused, so a recycled slot refuses stale guards.</remarks>
internal sealed class ReaderSlot
{
    private long _ticket;

    internal ReaderSlot(object owner) => Owner = owner;

    /// <summary>The public lock whose value read guards reach.</summary>
    internal object Owner { get; }

    /// <summary>Owner lock: hold start for the hold histogram, or 0.</summary>
    internal long HeldSince;

    /// <summary>Owner lock: link of the free list.</summary>
    internal ReaderSlot? NextFree;

    /// <summary>The holder ticket, 0 when free; written under the owner lock, read lock-free by guards.</summary>
    internal long Ticket
    {
        get => Volatile.Read(ref _ticket);
        set => Volatile.Write(ref _ticket, value);
    }

    internal bool IsHeldBy(long ticket) => ticket != 0 && Ticket == ticket;
}
