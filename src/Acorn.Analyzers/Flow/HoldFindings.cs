using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Acorn.Analyzers.Flow;

/// <summary>What the reporting pass of <see cref="LockHoldAnalysis"/> found in one body.</summary>
internal sealed class HoldFindings
{
    /// <summary>ACRN001: await (or async yield) points and the thread-affine locks that may be held there.</summary>
    public Dictionary<Location, HashSet<Acquisition>> SyncHeldAtAwait { get; } = new();

    /// <summary>ACRN002: blocking calls and the locks that may be held there.</summary>
    public Dictionary<IOperation, (BlockingCall Call, HashSet<Acquisition> Held)> BlockingUnderLock { get; } = new();

    /// <summary>ACRN003: async acquisitions and the other awaits they may be held across.</summary>
    public Dictionary<Acquisition, HashSet<Location>> AsyncHeldAcrossAwaits { get; } = new();

    /// <summary>ACRN004: nested acquisitions of locks held in fields or statics.</summary>
    public HashSet<LockOrderEdge> Nested { get; } = new();

    /// <summary>ACRN006: blocking calls on tasks in an async body where no lock is held (until proven to wait for a completed task).</summary>
    public Dictionary<IOperation, BlockingCall> SyncOverAsync { get; } = new();

    /// <summary>ACRN007: guard-returning acquisitions whose guard is thrown away.</summary>
    public HashSet<Acquisition> DiscardedGuards { get; } = new();

    /// <summary>ACRN007: guards kept in a local that is not disposed on some path to the end of the body.</summary>
    public HashSet<Acquisition> UndisposedGuards { get; } = new();

    public static void Add<TKey, TValue>(Dictionary<TKey, HashSet<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = new HashSet<TValue>();
            map[key] = set;
        }

        set.Add(value);
    }
}
