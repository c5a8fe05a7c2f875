namespace Acorn.Threading.Internal;

/// <summary>The lock of one key, alive while somebody holds or waits for that key.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class KeyedEntry<TKey> : ExclusiveCore<KeyedLockGuard<TKey>>
    where TKey : notnull
{
    private readonly KeyedStripe<TKey> _stripe;

    internal KeyedEntry(KeyedStripe<TKey> stripe, string? name, TimeProvider? timeProvider)
        : base(KeyedStripe<TKey>.Kind, name, timeProvider) => _stripe = stripe;

    /// <summary>Stripe lock: the key this entry locks while it is in the stripe's map.</summary>
    internal TKey Key = default!;

    /// <summary>Stripe lock: holders, waiters and callers about to acquire; the entry leaves the map at zero.</summary>
    internal int Participants;

    /// <summary>Stripe lock: link of the stripe's free list.</summary>
    internal KeyedEntry<TKey>? NextFree;

    protected override void OnParticipantLeft() => _stripe.Leave(this);
}
