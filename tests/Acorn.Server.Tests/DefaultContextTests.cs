namespace Acorn.Server.Tests;

/// <summary>A fresh server holds no contexts; the adapter's default context exists only when configured.</summary>
public sealed class DefaultContextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> ContextIdsAsync(ServerFixture server)
    {
        using var client = server.CreateClient();
        var page = await (await client.GetAsync("/contexts", Ct)).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task A_fresh_server_lists_no_contexts()
    {
        await using var server = new ServerFixture();
        await server.InitializeAsync();

        Assert.Empty(await ContextIdsAsync(server));
    }

    [Fact]
    public async Task The_default_context_is_created_at_start_when_configured()
    {
        await using var server = new ServerFixture();
        server.ExtraArguments.Add("--Acorn:Adapter:AutoActivateDefault=true");
        server.ExtraArguments.Add("--Acorn:Adapter:DefaultContextId=main");
        await server.InitializeAsync();

        Assert.Equal(["main"], await ContextIdsAsync(server));
    }
}
