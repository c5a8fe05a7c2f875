using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Acorn.Contexts;
using Acorn.Contexts.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Acorn.Server.Tests;

/// <summary>A write whose outcome the store cannot tell answers 503 saying it may have happened, and changes nothing else.</summary>
public sealed class OutcomeUnknownTests(OutcomeUnknownTests.AmbiguousStoreServer server) : IClassFixture<OutcomeUnknownTests.AmbiguousStoreServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_stored_despite_its_error_answers_503_saying_so_and_the_next_write_continues_from_it()
    {
        using var client = server.CreateClient();
        var id = Http.UniqueId("unknown");
        await client.CreateAsync(id);
        server.Store.FailAfterCommitting(1);

        using var failed = await client.PutAsJsonAsync($"/contexts/{id}", new { data = new { n = 1 } }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var problem = await failed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Write outcome unknown", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("outcomeUnknown").GetBoolean());
        Assert.Equal(id, problem.GetProperty("contextId").GetString());
        Assert.Contains("may have", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // It did happen (the store kept it), and the server knows it now: no 412 for a blind write, no lost version.
        using var read = await client.GetAsync($"/contexts/{id}", Ct);
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        using var next = await client.PutAsJsonAsync($"/contexts/{id}", new { data = new { n = 2 } }, Ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("\"3\"", next.Headers.ETag?.Tag);
    }

    /// <summary>The real server whose SQLite store is wrapped in a store that can fail a write after committing it.</summary>
    public sealed class AmbiguousStoreServer : ServerFixture
    {
        public AmbiguousCommitStore Store { get; private set; } = null!;

        protected override void Configure(WebApplicationBuilder builder)
        {
            var original = builder.Services.Last(d => d.ServiceType == typeof(IContextStore));
            builder.Services.Remove(original);
            builder.Services.AddSingleton<IContextStore>(services =>
            {
                var inner = (IContextStore)original.ImplementationFactory!(services);
                return Store = new AmbiguousCommitStore(inner);
            });
        }
    }
}
