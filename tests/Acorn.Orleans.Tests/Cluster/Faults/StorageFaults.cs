using System.Collections.Concurrent;
using Acorn.Orleans.Grains;

namespace Acorn.Orleans.Tests.Cluster.Faults;

/// <summary>
/// Faults for the context grains' storage writes, armed by a test for one context, and a record of every write: shared
/// by all silos of one test cluster through <see cref="FaultInjectingGrainStorage"/>.
/// </summary>
public sealed class StorageFaults
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WriteHold> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _storedChanges = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<StorageWrite> _writes = new();

    /// <summary>Holds the next write of <paramref name="grainKey"/>'s state before it reaches storage.</summary>
    public WriteHold HoldNextWrite(string grainKey)
    {
        var hold = new WriteHold();
        lock (_gate)
        {
            _holds[grainKey] = hold;
        }

        return hold;
    }

    /// <summary>Fails the next write of <paramref name="grainKey"/>'s state with an <see cref="IOException"/>.</summary>
    /// <param name="grainKey">The grain key.</param>
    /// <param name="afterStorageHasIt">Fail after the write reached storage (as a connection lost before the answer does), instead of before.</param>
    public void FailNextWrite(string grainKey, bool afterStorageHasIt)
    {
        lock (_gate)
        {
            _failures[grainKey] = afterStorageHasIt;
        }
    }

    /// <summary>The storage writes of <paramref name="grainKey"/>'s state so far, in order.</summary>
    public IReadOnlyList<StorageWrite> WritesOf(string grainKey) => [.. _writes.Where(w => w.GrainKey == grainKey)];

    internal void Loaded(string grainKey, ContextGrainState state) => _storedChanges[grainKey] = state.Changes;

    internal async Task WriteAsync(string grainKey, ContextGrainState state, Func<Task> write)
    {
        WriteHold? hold;
        bool? fail;
        lock (_gate)
        {
            _holds.Remove(grainKey, out hold);
            fail = _failures.Remove(grainKey, out var after) ? after : null;
        }

        var versions = state.Changes - _storedChanges.GetValueOrDefault(grainKey);
        var version = state.Current?.Version ?? 0;
        if (hold is not null)
        {
            await hold.ReachAsync(versions);
        }

        if (fail == false)
        {
            _writes.Enqueue(new StorageWrite(grainKey, versions, version, Failed: true, Persisted: false));
            throw new IOException($"injected storage failure: the write of {versions} versions of '{grainKey}' did not reach storage");
        }

        try
        {
            await write();
        }
        catch
        {
            _writes.Enqueue(new StorageWrite(grainKey, versions, version, Failed: true, Persisted: false));
            throw;
        }

        _storedChanges[grainKey] = state.Changes;
        _writes.Enqueue(new StorageWrite(grainKey, versions, version, Failed: fail == true, Persisted: true));
        if (fail == true)
        {
            throw new IOException($"injected storage failure: the write of {versions} versions of '{grainKey}' reached storage, then its answer was lost");
        }
    }
}
