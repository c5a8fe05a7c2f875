namespace Acorn.Contexts.Testing;

public abstract partial class ContextManagerContractTests
{
    private static ContextPatch Merge(string json) => ContextPatch.Parse(ContextPatchKind.MergePatch, json);

    private static ContextPatch Operations(string json) => ContextPatch.Parse(ContextPatchKind.JsonPatch, json);

    [Fact]
    public async Task Patch_ChangesOnlyTheData_AndAddsOneToTheVersion()
    {
        var manager = await NewManagerAsync();
        using var changes = manager.Subscribe("a");
        var created = await manager.CreateAsync(
            "a", Json("""{"keep":1,"drop":2,"nested":{"x":1}}""", new Dictionary<string, string> { ["owner"] = "me" }) with { TimeToLive = TimeSpan.FromMinutes(5) }, Ct);

        var patched = await manager.PatchAsync("a", Merge("""{"drop":null,"nested":{"y":2},"added":true}"""), cancellationToken: Ct);

        Assert.Equal(2, patched.Version);
        Assert.Equal("""{"keep":1,"nested":{"x":1,"y":2},"added":true}""", Text(patched));
        Assert.Equal("me", Assert.Single(patched.Metadata).Value);
        Assert.Equal((created.CreatedAt, created.ExpiresAt), (patched.CreatedAt, patched.ExpiresAt));
        Assert.Equal(
            [(ContextChangeKind.Created, 1L), (ContextChangeKind.Updated, 2L)],
            Drain(changes).Select(c => (c.Kind, c.Version)));
        var persisted = await (await ReopenAsync()).GetAsync("a", Ct);
        Assert.Equal((2L, Text(patched), created.ExpiresAt), (persisted.Version, Text(persisted), persisted.ExpiresAt));
    }

    [Fact]
    public async Task Patch_AppliesEveryJsonPatchOperation_InOrder_AsOneWrite()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Json("""{"list":[1,2],"from":"moved","n":0}"""), Ct);

        var patched = await manager.PatchAsync(
            "a",
            Operations("""
                [{"op":"test","path":"/n","value":0},
                 {"op":"add","path":"/list/-","value":3},
                 {"op":"move","from":"/from","path":"/to"},
                 {"op":"copy","from":"/list","path":"/copy"},
                 {"op":"replace","path":"/n","value":1},
                 {"op":"remove","path":"/list/0"}]
                """),
            cancellationToken: Ct);

        Assert.Equal(2, patched.Version);
        Assert.Equal("""{"list":[2,3],"n":1,"to":"moved","copy":[1,2,3]}""", Text(patched));
        Assert.Equal(Text(patched), Text(await (await ReopenAsync()).GetAsync("a", Ct)));
    }

    [Fact]
    public async Task Patch_WithStaleExpectedVersion_Conflicts_AndChangesNothing()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Counter(1), Ct);
        await manager.UpdateAsync("a", Counter(2), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ContextVersionConflictException>(
            async () => await manager.PatchAsync("a", Merge("""{"n":99}"""), expectedVersion: 1, Ct));

        Assert.Equal((1, 2), (error.ExpectedVersion, error.ActualVersion));
        var state = await manager.GetAsync("a", Ct);
        Assert.Equal((2L, 2L), (state.Version, CounterOf(state)));
        var patched = await manager.PatchAsync("a", Merge("""{"n":3}"""), expectedVersion: 2, Ct);
        Assert.Equal((3L, 3L), (patched.Version, CounterOf(patched)));
    }

    [Fact]
    public async Task Patch_OfMissingContext_ThrowsNotFound_AndCreatesNothing()
    {
        var manager = await NewManagerAsync();

        await Assert.ThrowsAsync<ContextNotFoundException>(async () => await manager.PatchAsync("nope", Merge("""{"n":1}"""), cancellationToken: Ct));
        await Assert.ThrowsAsync<InvalidContextIdException>(async () => await manager.PatchAsync("has space", Merge("""{"n":1}"""), cancellationToken: Ct));

        Assert.Null(await manager.FindAsync("nope", Ct));
        Assert.Equal(0, await manager.CountAsync(Ct));
    }

    [Fact]
    public async Task Patch_WithFailingOperation_NamesIt_AndChangesNothing()
    {
        var manager = await NewManagerAsync();
        await manager.CreateAsync("a", Json("""{"n":1,"list":[1]}"""), Ct);

        var failedTest = await Assert.ThrowsAsync<ContextPatchFailedException>(async () => await manager.PatchAsync(
            "a", Operations("""[{"op":"replace","path":"/n","value":2},{"op":"test","path":"/n","value":1}]"""), cancellationToken: Ct));
        var missing = await Assert.ThrowsAsync<ContextPatchFailedException>(async () => await manager.PatchAsync(
            "a", Operations("""[{"op":"add","path":"/list/-","value":2},{"op":"remove","path":"/gone"}]"""), cancellationToken: Ct));

        Assert.Equal(("a", 1, "test", "/n"), (failedTest.ContextId, failedTest.OperationIndex, failedTest.Operation, failedTest.Path));
        Assert.Equal((1, "remove", "/gone"), (missing.OperationIndex, missing.Operation, missing.Path));
        var state = await manager.GetAsync("a", Ct);
        Assert.Equal((1L, """{"n":1,"list":[1]}"""), (state.Version, Text(state)));
        var persisted = await (await ReopenAsync()).GetAsync("a", Ct);
        Assert.Equal((1L, """{"n":1,"list":[1]}"""), (persisted.Version, Text(persisted)));
    }

    [Fact]
    public async Task Patch_WhoseResultBreaksTheLimits_IsRefused_AndChangesNothing()
    {
        var manager = await NewManagerAsync(new ContextOptions { MaxDataBytes = 1024, MaxDataDepth = 8 });
        await manager.CreateAsync("a", Counter(1), Ct);

        var tooBig = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.PatchAsync("a", Merge($$"""{"blob":"{{new string('x', 2000)}}"}"""), cancellationToken: Ct));
        var tooDeep = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.PatchAsync("a", Merge("""{"d":[[[[[[[[[1]]]]]]]]]}"""), cancellationToken: Ct));
        var notAnObject = await Assert.ThrowsAsync<InvalidContextDataException>(
            async () => await manager.PatchAsync("a", Operations("""[{"op":"replace","path":"","value":[1]}]"""), cancellationToken: Ct));

        Assert.Contains("1024", tooBig.Message, StringComparison.Ordinal);
        Assert.Contains("8", tooDeep.Message, StringComparison.Ordinal);
        Assert.Contains("an array", notAnObject.Message, StringComparison.Ordinal);
        var state = await manager.GetAsync("a", Ct);
        Assert.Equal((1L, 1L), (state.Version, CounterOf(state)));
        Assert.Equal(1, (await (await ReopenAsync()).GetAsync("a", Ct)).Version);
    }

    [Fact]
    public async Task ConcurrentMergePatches_OfDistinctFields_From64Tasks_AllLand()
    {
        const int tasks = 64;
        var manager = await NewManagerAsync();
        await manager.CreateAsync("shared", Json("{}"), Ct);

        await RaceAsync(tasks, async task =>
        {
            for (var i = 1; i <= IncrementsPerTask; i++)
            {
                await manager.PatchAsync("shared", Merge($$"""{"f{{task}}":{{i}}}"""), cancellationToken: Ct);
            }

            return 0;
        });

        var final = await manager.GetAsync("shared", Ct);
        Assert.Equal(1L + (tasks * IncrementsPerTask), final.Version);
        for (var task = 0; task < tasks; task++)
        {
            Assert.Equal(IncrementsPerTask, final.Data.GetProperty($"f{task}").GetInt32());
        }

        var persisted = await (await ReopenAsync()).GetAsync("shared", Ct);
        Assert.Equal((final.Version, Text(final)), (persisted.Version, Text(persisted)));
    }
}
