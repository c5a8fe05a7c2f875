namespace Acorn.Contexts.Testing;

/// <summary>
/// The behaviour every <see cref="IContextManager"/> must have, whatever keeps its contexts: derive once per
/// implementation (and, for <see cref="ContextManager"/>, once per store through <see cref="ContextStoreContractTests"/>).
/// </summary>
public abstract partial class ContextManagerContractTests : ContextTestKit
{
    /// <summary>Opens a manager over the storage under test.</summary>
    protected abstract Task<IContextManager> NewManagerAsync(ContextOptions? options = null);

    /// <summary>Closes the managers opened so far and opens a fresh one on the same storage: what a restarted process sees.</summary>
    protected abstract Task<IContextManager> ReopenAsync(ContextOptions? options = null);

    /// <summary>
    /// Why this implementation cannot run <see cref="IContextManager.RemoveExpiredAsync"/> (a client of a server, whose
    /// sweeper is its own), or <see langword="null"/> when it can: the tests that sweep are skipped with this reason.
    /// </summary>
    protected virtual string? CannotSweepBecause => null;

    private void SkipUnlessItCanSweep() => Assert.SkipWhen(CannotSweepBecause is not null, CannotSweepBecause ?? "");

    [Fact]
    public async Task Create_StartsAtVersionOne_AndIsReadable()
    {
        var manager = await NewManagerAsync();
        var created = await manager.CreateAsync("a", Json("""{"x":1}""", new Dictionary<string, string> { ["owner"] = "me" }), Ct);

        Assert.Equal(1, created.Version);
        Assert.Equal(Time.GetUtcNow(), created.CreatedAt);
        Assert.Null(created.ExpiresAt);
        var read = await manager.GetAsync("a", Ct);
        Assert.Equal((created.Version, created.CreatedAt, created.UpdatedAt), (read.Version, read.CreatedAt, read.UpdatedAt));
        Assert.Equal("""{"x":1}""", Text(read));
        Assert.Equal("me", read.Metadata["owner"]);
    }

    [Fact]
    public async Task Create_ExistingId_ThrowsAlreadyExists_AndKeepsTheOriginal()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);

        var error = await Assert.ThrowsAsync<ContextAlreadyExistsException>(async () => await manager.CreateAsync("a", Counter(2), Ct));

        Assert.Equal("a", error.ContextId);
        Assert.Equal(1, CounterOf(await manager.GetAsync("a", Ct)));
    }

    [Fact]
    public async Task EverySuccessfulWrite_AddsExactlyOneToTheVersion()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(0), Ct);
        for (var i = 1; i <= 5; i++)
        {
            var updated = await manager.UpdateAsync("a", Counter(i), cancellationToken: Ct);
            Assert.Equal(i + 1, updated.Version);
        }

        var point = await manager.CreateRecoveryPointAsync("a", Ct);
        Assert.Equal(6, (await manager.GetAsync("a", Ct)).Version);
        var restored = await manager.RestoreAsync("a", point.Id, cancellationToken: Ct);
        Assert.Equal(7, restored.Version);
    }

    [Fact]
    public async Task Update_WithStaleExpectedVersion_FailsWithBothVersions_AndChangesNothing()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.UpdateAsync("a", Counter(2), expectedVersion: 1, Ct);

        var error = await Assert.ThrowsAsync<ContextVersionConflictException>(
            async () => await manager.UpdateAsync("a", Counter(99), expectedVersion: 1, Ct));

        Assert.Equal((1, 2), (error.ExpectedVersion, error.ActualVersion));
        var state = await manager.GetAsync("a", Ct);
        Assert.Equal((2L, 2L), (state.Version, CounterOf(state)));
        var reopened = await ReopenAsync();
        var persisted = await reopened.GetAsync("a", Ct);
        Assert.Equal((2L, 2L), (persisted.Version, CounterOf(persisted)));
    }

    [Fact]
    public async Task Delete_WithStaleExpectedVersion_FailsAndKeepsTheContext()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct);

        await Assert.ThrowsAsync<ContextVersionConflictException>(async () => await manager.DeleteAsync("a", expectedVersion: 1, Ct));

        Assert.NotNull(await manager.FindAsync("a", Ct));
        await manager.DeleteAsync("a", expectedVersion: 2, Ct);
        Assert.Null(await manager.FindAsync("a", Ct));
        Assert.Null(await (await ReopenAsync()).FindAsync("a", Ct));
    }

    [Fact]
    public async Task UpdateAndDelete_OfMissingContext_ThrowNotFound()
    {
        var manager = await NewManagerAsync();

        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.GetAsync("nope", Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.UpdateAsync("nope", Counter(1), cancellationToken: Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.UpdateAsync("nope", Increment, Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.DeleteAsync("nope", cancellationToken: Ct));
        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.CreateRecoveryPointAsync("nope", Ct));
    }

    [Fact]
    public async Task Restart_LoadsEveryContextWithItsVersion()
    {
        var manager = await NewManagerAsync();
        for (var i = 0; i < 20; i++)
        {
            await manager.CreateAsync($"ctx-{i:D2}", Counter(i), Ct);
            for (var j = 0; j < i % 3; j++)
            {
                await manager.UpdateAsync($"ctx-{i:D2}", Increment, Ct);
            }
        }

        await manager.DeleteAsync("ctx-05", cancellationToken: Ct);

        var reopened = await ReopenAsync();
        Assert.Equal(19, await reopened.CountAsync(Ct));
        for (var i = 0; i < 20; i++)
        {
            var state = await reopened.FindAsync($"ctx-{i:D2}", Ct);
            if (i == 5)
            {
                Assert.Null(state);
                continue;
            }

            Assert.NotNull(state);
            Assert.Equal((1L + (i % 3), (long)i + (i % 3)), (state.Version, CounterOf(state)));
        }
    }

    [Fact]
    public async Task List_PagesInIdOrder_WithoutGapsOrRepeats()
    {
        var manager = await NewManagerAsync();
        var ids = Enumerable.Range(0, 57).Select(i => $"k{(i * 37) % 57:D3}").ToList();
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await manager.ListAsync(limit: 10, after, cancellationToken: Ct);
            Assert.True(page.Items.Count <= 10);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await manager.ListAsync(limit: 0, cancellationToken: Ct));
    }

    [Fact]
    public async Task List_WithAPrefix_PagesThroughOnlyTheIdsThatStartWithIt()
    {
        var manager = await NewManagerAsync();
        string[] ids = ["t1", "t1:c", "t1:a", "t10:a", "t1:b", "t2:a", "s:z", "t1:d"];
        foreach (var id in ids)
        {
            await manager.CreateAsync(id, Counter(0), Ct);
        }

        var first = await manager.ListAsync(limit: 2, prefix: "t1:", cancellationToken: Ct);
        var second = await manager.ListAsync(limit: 2, after: first.Next, prefix: "t1:", cancellationToken: Ct);
        var broader = await manager.ListAsync(prefix: "t1", cancellationToken: Ct);
        var pastTheCursor = await manager.ListAsync(after: "t1:b", prefix: "t1:", cancellationToken: Ct);
        var cursorBeforeThePrefix = await manager.ListAsync(after: "s:z", prefix: "t2", cancellationToken: Ct);

        Assert.Equal("t1:a t1:b -> t1:b", $"{string.Join(' ', first.Items.Select(s => s.Id))} -> {first.Next}");
        Assert.Equal("t1:c t1:d -> ", $"{string.Join(' ', second.Items.Select(s => s.Id))} -> {second.Next}");
        Assert.Equal(["t1", "t10:a", "t1:a", "t1:b", "t1:c", "t1:d"], broader.Items.Select(s => s.Id));
        Assert.Equal(["t1:c", "t1:d"], pastTheCursor.Items.Select(s => s.Id));
        Assert.Equal(["t2:a"], cursorBeforeThePrefix.Items.Select(s => s.Id));
        Assert.Empty((await manager.ListAsync(prefix: "u", cancellationToken: Ct)).Items);
        Assert.Empty((await manager.ListAsync(after: "t2:a", prefix: "t1", cancellationToken: Ct)).Items);
        Assert.Equal(ids.Length, (await manager.ListAsync(prefix: "", cancellationToken: Ct)).Items.Count);
    }

    [Theory]
    [InlineData("t/")]
    [InlineData(".t")]
    [InlineData("t 1")]
    public async Task List_WithAPrefixNoIdCanHave_IsRefused(string prefix)
    {
        var manager = await NewManagerAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await manager.ListAsync(prefix: prefix, cancellationToken: Ct));

        Assert.Equal("prefix", error.ParamName);
    }
}
