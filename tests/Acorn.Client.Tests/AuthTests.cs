using Acorn.Contexts;

namespace Acorn.Client.Tests;

/// <summary>A wrong key is a clear error naming the server; a read-only key reads, and its writes get the mapped 403 and change nothing.</summary>
public sealed class AuthTests(SharedServer server) : ClientTests, IClassFixture<SharedServer>
{
    [Fact]
    public async Task A_wrong_key_fails_every_call_with_an_access_error_naming_the_server()
    {
        var wrong = Clients.Create(server.BaseAddress, key: "not-the-key-0123456789");
        var id = SharedServer.UniqueId("auth");

        var errors = new List<AcornAccessDeniedException>
        {
            await Assert.ThrowsAsync<AcornAccessDeniedException>(() => wrong.InitializeAsync(Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await wrong.GetAsync(id, Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await wrong.CreateAsync(id, ContextContent.Parse("{}"), Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(() => wrong.ListPluginsAsync(Ct)),
        };

        Assert.All(errors, e => Assert.Equal(401, e.StatusCode));
        Assert.All(errors, e => Assert.Contains(server.BaseAddress.ToString(), e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.IsAssignableFrom<UnauthorizedAccessException>(e));
        Assert.Null(await Clients.Create(server.BaseAddress).FindAsync(id, Ct));
    }

    [Fact]
    public async Task A_subscription_with_a_wrong_key_ends_with_the_access_error_instead_of_reconnecting()
    {
        var wrong = Clients.Create(server.BaseAddress, key: "not-the-key-0123456789");
        using var subscription = wrong.Subscribe();

        var error = await Assert.ThrowsAsync<AcornAccessDeniedException>(async () =>
        {
            await foreach (var change in subscription.ReadAllAsync(Ct))
            {
                Assert.Fail($"a subscription without a valid key received {change}");
            }
        });

        Assert.Equal(401, error.StatusCode);
        Assert.True(subscription.Completion.IsFaulted);
    }

    [Fact]
    public async Task A_read_only_key_reads_but_its_writes_get_the_403_error_and_change_nothing()
    {
        var admin = Clients.Create(server.BaseAddress);
        var reader = Clients.Create(server.BaseAddress, key: InProcessServer.ReadKey);
        var id = SharedServer.UniqueId("readonly");
        var created = await admin.CreateAsync(id, ContextContent.Parse("""{"n":1}"""), Ct);

        var read = await reader.GetAsync(id, Ct);
        var errors = new List<AcornAccessDeniedException>
        {
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await reader.UpdateAsync(id, ContextContent.Parse("""{"n":2}"""), cancellationToken: Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await reader.PatchAsync(id, ContextPatch.Parse(ContextPatchKind.MergePatch, """{"n":3}"""), cancellationToken: Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await reader.CreateAsync(SharedServer.UniqueId("readonly"), ContextContent.Parse("{}"), Ct)),
            await Assert.ThrowsAsync<AcornAccessDeniedException>(async () => await reader.CreateRecoveryPointAsync(id, Ct)),
        };

        Assert.Equal(created.Version, read.Version);
        Assert.All(errors, e => Assert.Equal(403, e.StatusCode));
        Assert.All(errors, e => Assert.Contains("admin key", e.Message, StringComparison.Ordinal));
        var after = await admin.GetAsync(id, Ct);
        Assert.Equal((created.Version, 1L), (after.Version, after.Data.GetProperty("n").GetInt64()));
        Assert.Empty(await admin.ListRecoveryPointsAsync(id, Ct));
    }
}
