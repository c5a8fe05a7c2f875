using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

/// <summary>
/// A create at <see cref="ContextOptions.MaxContexts"/> while an expired context is being removed (by the sweeper, or by
/// another create) must get the slot that removal frees: the removal is the create's own business, not a reason to fail
/// (issue 15 item 5). The commits of a <see cref="ManualCommitStore"/> hold the removal in flight.
/// </summary>
public sealed class ExpiryAtTheCapTests : ContextTestKit
{
    private readonly ManualCommitStore _store = new();

    [Fact]
    public async Task ACreateAtTheCap_WhileTheSweeperRemovesTheExpiredContext_GetsItsSlot()
    {
        var manager = new ContextManager(_store, new ContextOptions { MaxContexts = 1 }, Time);
        await manager.InitializeAsync(Ct);
        var old = manager.CreateAsync("old", Counter(0) with { TimeToLive = TimeSpan.FromSeconds(1) }, Ct);
        _store.Commit();
        await old;
        Time.Advance(TimeSpan.FromSeconds(1));

        var sweep = manager.RemoveExpiredAsync(Ct).AsTask();
        await _store.SubmittedAsync(2);

        // Refused by the cap at once (the expired context still holds the slot), so it must wait for the removal.
        var create = manager.CreateAsync("new", Counter(1), Ct).AsTask();
        _store.Commit();
        Assert.Equal(1, await sweep);

        // The create is handed to the store once the slot is free: it must not have given up.
        var outcome = await Task.WhenAny(create, _store.SubmittedAsync(3));
        Assert.True(outcome != create, $"the create failed with {create.Exception?.InnerException?.GetType().Name} while the sweep freed the only slot");
        _store.Commit();
        Assert.Equal(1, CounterOf(await create));
        Assert.Equal(["new"], (await manager.ListAsync(cancellationToken: Ct)).Items.Select(s => s.Id));
    }
}
