using System.Collections.Immutable;

namespace Acorn.Analyzers.Flow.Summaries;

/// <summary>What a call to a method does to locks, seen from its caller.</summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(ImmutableArray<HeldLock>.Empty, ImmutableArray<ReleasedLock>.Empty, ImmutableHashSet<string>.Empty);

    public MethodSummary(ImmutableArray<HeldLock> held, ImmutableArray<ReleasedLock> released, ImmutableHashSet<string> mayRelease)
    {
        Held = held;
        Released = released;
        MayRelease = mayRelease;
    }

    /// <summary>The locks the method may leave held when it returns.</summary>
    public ImmutableArray<HeldLock> Held { get; }

    /// <summary>The caller's locks the method releases on every normal path.</summary>
    public ImmutableArray<ReleasedLock> Released { get; }

    /// <summary>The families of the locks the method releases on some path: a guard's <c>Dispose</c> releases these.</summary>
    public ImmutableHashSet<string> MayRelease { get; }

    public bool IsEmpty => Held.IsEmpty && Released.IsEmpty && MayRelease.IsEmpty;
}
