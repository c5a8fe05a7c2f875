using System.Text.Json;
using Acorn.Contexts;

namespace Acorn.Client.Tests;

/// <summary>Listing as an async sequence, page by page, and by id prefix.</summary>
public sealed class ListingTests : InProcessServerTests
{
    [Fact]
    public async Task ListAll_pages_through_every_context_in_id_order()
    {
        await Server.StartAsync(["--Acorn:Server:MaxPageSize=7"]);
        var client = Clients.Create(Server.BaseAddress!);
        var ids = Enumerable.Range(0, 23).Select(i => $"item-{(i * 7) % 23:D2}").ToList();
        foreach (var id in ids)
        {
            await client.CreateAsync(id, ContextContent.Parse("{}"), Ct);
        }

        var listed = new List<string>();
        await foreach (var state in client.ListAllAsync(pageSize: 7, cancellationToken: Ct))
        {
            listed.Add(state.Id);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
        Assert.Equal(23, await client.CountAsync(Ct));

        // A page larger than the server allows is the caller's error, named by the server.
        var tooLarge = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await client.ListAsync(limit: 8, cancellationToken: Ct));
        Assert.Contains("1 to 7", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAll_by_prefix_returns_only_the_ids_that_start_with_it()
    {
        await Server.StartAsync();
        var client = Clients.Create(Server.BaseAddress!);
        foreach (var id in new[] { "a:1", "a:2", "ab:1", "b:1", "a:3" })
        {
            await client.CreateAsync(id, ContextContent.Parse("{}"), Ct);
        }

        var listed = new List<string>();
        await foreach (var state in client.ListAllAsync(prefix: "a:", pageSize: 2, cancellationToken: Ct))
        {
            listed.Add(state.Id);
        }

        Assert.Equal(["a:1", "a:2", "a:3"], listed);
    }
}
