using System.Collections.Concurrent;

namespace Acorn.Bench.Contention;

/// <summary>
/// Upper bounds measured in the same run, with no store underneath: they show how far each contender is from what the
/// bare data structure allows. They are not contenders (no persistence, no versions), and the report marks them so.
/// </summary>
internal static class Ceilings
{
    public const string Prefix = "ceiling: ";
    public const string SemaphoreDictionary = Prefix + "SemaphoreSlim + Dictionary";
    public const string ConcurrentDictionary = Prefix + "ConcurrentDictionary";
    public const string SqliteBatched = Prefix + "raw SQLite batched upserts";

    public static bool IsCeiling(string contender) => contender.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The in-process ceilings that apply to a store and scenario (the SQLite write ceiling is measured apart).</summary>
    public static IEnumerable<string> For(StoreKind store, Scenario scenario)
    {
        if (store != StoreKind.InMemory)
        {
            yield break;
        }

        if (scenario == Scenario.Reads)
        {
            yield return ConcurrentDictionary;
        }

        yield return SemaphoreDictionary;
    }
}

/// <summary>A bare <see cref="SemaphoreSlim"/>-guarded dictionary of counters: the cost of one async mutex and nothing else.</summary>
internal sealed class SemaphoreDictionaryCeiling : IContender, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public string Name => Ceilings.SemaphoreDictionary;

    public async ValueTask CreateAsync(string id)
    {
        await _gate.WaitAsync();
        try
        {
            _counters.Add(id, 0);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask IncrementAsync(string id)
    {
        await _gate.WaitAsync();
        try
        {
            _counters[id]++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<long> ReadAsync(string id)
    {
        await _gate.WaitAsync();
        try
        {
            return _counters[id];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>A raw <see cref="ConcurrentDictionary{TKey, TValue}"/> of counters: the read ceiling (lock-free reads).</summary>
internal sealed class ConcurrentDictionaryCeiling : IContender
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);

    public string Name => Ceilings.ConcurrentDictionary;

    public ValueTask CreateAsync(string id) => _counters.TryAdd(id, 0) ? ValueTask.CompletedTask : throw new InvalidOperationException($"{id} exists.");

    public ValueTask IncrementAsync(string id)
    {
        _counters.AddOrUpdate(id, _ => throw new InvalidOperationException($"{id} is missing."), (_, n) => n + 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> ReadAsync(string id) => ValueTask.FromResult(_counters[id]);
}
