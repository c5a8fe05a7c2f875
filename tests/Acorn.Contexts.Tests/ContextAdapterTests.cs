using Acorn.Contexts.Testing;

namespace Acorn.Contexts.Tests;

public sealed class ContextAdapterTests : InMemoryContextTestBase
{
    [Fact]
    public async Task Initialize_CreatesAndActivatesTheDefaultContext()
    {
        var manager = await NewManagerAsync();
        var adapter = new ContextAdapter(manager);

        await adapter.InitializeAsync(Ct);

        Assert.Equal("default", adapter.CurrentContextId);
        Assert.Equal(ContextStatus.Active, await adapter.GetStatusAsync("default", Ct));
        Assert.Equal("{}", Text(await manager.GetAsync("default", Ct)));
    }

    [Fact]
    public async Task ActivatingAnAlreadyActiveContext_MakesItCurrent()
    {
        var adapter = new ContextAdapter(await NewManagerAsync());
        await adapter.InitializeAsync(Ct);
        await adapter.ActivateAsync("work", Ct);
        Assert.Equal("work", adapter.CurrentContextId);

        await adapter.ActivateAsync("default", Ct);

        Assert.Equal("default", adapter.CurrentContextId);
        Assert.Equal(["default", "work"], adapter.ActiveContextIds);
    }

    [Fact]
    public async Task DeactivatingTheCurrentContext_FallsBackToTheDefault()
    {
        var adapter = new ContextAdapter(await NewManagerAsync());
        await adapter.InitializeAsync(Ct);
        await adapter.ActivateAsync("work", Ct);

        Assert.True(adapter.Deactivate("work"));

        Assert.Equal("default", adapter.CurrentContextId);
        Assert.Equal(ContextStatus.Inactive, await adapter.GetStatusAsync("work", Ct));
    }

    [Fact]
    public async Task DeactivatingTheDefault_LeavesNoDanglingCurrentId()
    {
        var adapter = new ContextAdapter(await NewManagerAsync());
        await adapter.InitializeAsync(Ct);

        Assert.True(adapter.Deactivate("default"));

        Assert.Null(adapter.CurrentContextId);
        Assert.Null(await adapter.GetCurrentAsync(Ct));
        Assert.False(adapter.Deactivate("default"));
        await adapter.ActivateAsync("other", Ct);
        Assert.True(adapter.Deactivate("other"));
        Assert.Null(adapter.CurrentContextId);
    }

    [Fact]
    public async Task ActivatingAMissingContext_WithoutAutoCreate_ThrowsNotFound_AndChangesNothing()
    {
        var adapter = new ContextAdapter(await NewManagerAsync(), new ContextAdapterOptions { AutoCreate = false, AutoActivateDefault = false });
        await adapter.InitializeAsync(Ct);

        await Assert.ThrowsAsync<ContextNotFoundException>(() => adapter.ActivateAsync("ghost", Ct));

        Assert.Null(adapter.CurrentContextId);
        Assert.Empty(adapter.ActiveContextIds);
        Assert.Equal(ContextStatus.NonExistent, await adapter.GetStatusAsync("ghost", Ct));
    }

    [Fact]
    public async Task MaxActiveContexts_IsEnforced_WithoutCreatingTheRefusedContext()
    {
        var manager = await NewManagerAsync();
        var adapter = new ContextAdapter(manager, new ContextAdapterOptions { MaxActiveContexts = 2 });
        await adapter.InitializeAsync(Ct);
        await adapter.ActivateAsync("one", Ct);

        var error = await Assert.ThrowsAsync<ContextLimitExceededException>(() => adapter.ActivateAsync("two", Ct));

        Assert.Equal(2, error.Limit);
        Assert.Null(await manager.FindAsync("two", Ct));
        Assert.Equal("one", adapter.CurrentContextId);
        await Assert.ThrowsAsync<ContextLimitExceededException>(() => adapter.CreateAndActivateAsync("three", Counter(3), Ct));
        Assert.Null(await manager.FindAsync("three", Ct));
    }

    [Fact]
    public async Task Switch_ToAnInactiveContext_Throws_AndToAnActiveOne_MakesItCurrent()
    {
        var adapter = new ContextAdapter(await NewManagerAsync());
        await adapter.InitializeAsync(Ct);
        await adapter.CreateAndActivateAsync("b", Counter(2), Ct);

        Assert.Throws<ContextNotActiveException>(() => adapter.Switch("c"));
        adapter.Switch("default");

        Assert.Equal("default", adapter.CurrentContextId);
        Assert.Equal(2, CounterOf((await adapter.ActivateAsync("b", Ct))));
    }

    [Fact]
    public async Task DeletedActiveContext_ReportsNonExistent()
    {
        var manager = await NewManagerAsync();
        var adapter = new ContextAdapter(manager);
        await adapter.ActivateAsync("x", Ct);

        await manager.DeleteAsync("x", cancellationToken: Ct);

        Assert.Equal(ContextStatus.NonExistent, await adapter.GetStatusAsync("x", Ct));
        Assert.Null(await adapter.GetCurrentAsync(Ct));
    }
}
