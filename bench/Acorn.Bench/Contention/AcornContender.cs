using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>Acorn: the real <see cref="ContextManager"/>.</summary>
internal sealed class AcornContender(ContextManager manager) : IContender
{
    public string Name => "Acorn";

    public Task CreateAsync(string id) => manager.CreateAsync(id, Counter.Content(0)).AsTask();

    public Task IncrementAsync(string id) => manager.UpdateAsync(id, s => Counter.Content(Counter.Of(s) + 1)).AsTask();

    public async Task<long> ReadAsync(string id) => Counter.Of(await manager.GetAsync(id));
}
