using Acorn.Contexts;

namespace Acorn.Bench.Contention;

/// <summary>An in-memory store that awaits a fixed latency per write, modelling a network database.</summary>
/// <remarks>
/// Writes can be pipelined, as a client does that sends requests down one connection without waiting for each reply
/// (PostgreSQL's pipeline mode, Redis pipelining): every write still takes the full latency, writes in flight overlap,
/// and the server applies them in the order they were sent. <see cref="WriteAsync"/> sends one write and waits for it,
/// which is all the naive and seed contenders do; <see cref="ContextManager"/> pipelines through <see cref="SubmitAsync"/>.
/// </remarks>
internal sealed class SimulatedRemoteStore(TimeSpan latency) : IContextStore
{
    private readonly InMemoryContextStore _inner = new();
    private readonly Lock _sending = new();
    private Task _lastSent = Task.CompletedTask;

    public Task<ContextStoreSummary> ReadSummaryAsync(CancellationToken cancellationToken) => _inner.ReadSummaryAsync(cancellationToken);

    public Task<ContextStorePage> ReadContextsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        _inner.ReadContextsAsync(after, limit, cancellationToken);

    public async Task<ContextState?> ReadContextAsync(string contextId, CancellationToken cancellationToken)
    {
        await Task.Delay(latency, cancellationToken);
        return await _inner.ReadContextAsync(contextId, cancellationToken);
    }

    public async ValueTask WriteAsync(ContextWrite write, CancellationToken cancellationToken) =>
        await (await SubmitAsync(write, cancellationToken));

    public ValueTask<Task> SubmitAsync(ContextWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_sending)
        {
            _lastSent = ArriveAsync(_lastSent, write);
            return new ValueTask<Task>(_lastSent);
        }
    }

    public Task<IReadOnlyList<RecoveryPoint>> ListRecoveryPointsAsync(string contextId, CancellationToken cancellationToken) =>
        _inner.ListRecoveryPointsAsync(contextId, cancellationToken);

    public Task<RecoveryPoint?> GetRecoveryPointAsync(string contextId, long recoveryPointId, CancellationToken cancellationToken) =>
        _inner.GetRecoveryPointAsync(contextId, recoveryPointId, cancellationToken);

    /// <summary>The write reaches the server after the latency, and is applied after every write sent before it.</summary>
    private async Task ArriveAsync(Task sentBefore, ContextWrite write)
    {
        await Task.Delay(latency, CancellationToken.None);
        await sentBefore.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _inner.WriteAsync(write, CancellationToken.None);
    }
}
