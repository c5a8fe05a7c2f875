namespace Acorn.Contexts.Testing;

/// <summary>
/// The context contract for a <see cref="ContextManager"/> over an <see cref="IContextStore"/>, plus what the manager
/// must give the store: derive once per store.
/// </summary>
public abstract partial class ContextStoreContractTests : ContextManagerContractTests, IAsyncDisposable
{
    private StoreManagers? _managers;

    private StoreManagers Managers => _managers ??= new StoreManagers(OpenStoreAsync, Time);

    /// <summary>Opens the store under test; every call opens the same underlying storage.</summary>
    protected abstract ValueTask<IContextStore> OpenStoreAsync();

    /// <inheritdoc/>
    protected override async Task<IContextManager> NewManagerAsync(ContextOptions? options = null) =>
        await Managers.NewAsync(options, wrap: null, Ct);

    /// <inheritdoc/>
    protected override async Task<IContextManager> ReopenAsync(ContextOptions? options = null) =>
        await Managers.ReopenAsync(options, Ct);

    [Fact]
    public async Task TheStore_ReceivesEachContextsWrites_InVersionOrder()
    {
        RecordingStore? recorder = null;
        var manager = await Managers.NewAsync(null, store => recorder = new RecordingStore(store), Ct);
        string[] ids = ["o-0", "o-1", "o-2", "o-3"];
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        await RaceAsync(32, async task =>
        {
            for (var i = 0; i < IncrementsPerTask / 10; i++)
            {
                var id = ids[(task + i) % ids.Length];
                if (i % 2 == 0)
                {
                    await manager.UpdateAsync(id, Increment, Ct);
                }
                else
                {
                    var seen = await manager.GetAsync(id, Ct);
                    try
                    {
                        await manager.UpdateAsync(id, Increment(seen), seen.Version, Ct);
                    }
                    catch (ContextVersionConflictException)
                    {
                        // A stale compare-and-set: it must change nothing, which the version sequence below checks.
                    }
                }
            }

            return 0;
        });

        foreach (var id in ids)
        {
            var received = recorder!.Received[id].ToList();
            var state = await manager.GetAsync(id, Ct);
            Assert.Equal(Enumerable.Range(1, (int)state.Version).Select(v => (long)v), received);
            Assert.Equal(state.Version - 1, CounterOf(state));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_managers is not null)
        {
            await _managers.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
