using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>Acorn: the real <see cref="ContextManager"/>.</summary>
internal sealed class AcornContender(ContextManager manager) : IContender
{
    private long _evaluations;

    public string Name => "Acorn";

    /// <summary>How many times the increments' update functions ran so far: once per increment unless a write failed.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    public Task CreateAsync(string id) => manager.CreateAsync(id, Counter.Content(0)).AsTask();

    public Task IncrementAsync(string id) => manager.UpdateAsync(id, s =>
    {
        Interlocked.Increment(ref _evaluations);
        return Counter.Content(Counter.Of(s) + 1);
    }).AsTask();

    public async Task<long> ReadAsync(string id) => Counter.Of(await manager.GetAsync(id));
}
